package scheduler

import (
	"math"

	"github.com/drover-project/drover/structs"
)

// rankedNode is a feasible node with the scores rankers gave it.
type rankedNode struct {
	node       *structs.Node
	scores     []float64
	finalScore float64

	proposed       []*structs.Allocation
	proposedLoaded bool
}

// proposedAllocs caches the node's proposed allocations for the rankers of
// one selection.
func (r *rankedNode) proposedAllocs(ctx *evalContext) []*structs.Allocation {
	if !r.proposedLoaded {
		r.proposed = ctx.proposedAllocs(r.node.ID)
		r.proposedLoaded = true
	}
	return r.proposed
}

// addScore appends a score and records it in the placement's metric under
// "<node id>.<scorer>".
func (r *rankedNode) addScore(ctx *evalContext, scorer string, score float64) {
	r.scores = append(r.scores, score)
	recordScore(ctx.metrics, r.node.ID+"."+scorer, score)
}

func recordScore(m *structs.AllocMetric, key string, score float64) {
	if m.Scores == nil {
		m.Scores = make(map[string]float64)
	}
	m.Scores[key] = score
}

// rankIterator yields scored nodes. Reset starts a new selection.
type rankIterator interface {
	Next() *rankedNode
	Reset()
}

// feasibleRankIterator turns feasible nodes into unscored ranked nodes.
type feasibleRankIterator struct {
	source feasibleIterator
}

func (it *feasibleRankIterator) Next() *rankedNode {
	n := it.source.Next()
	if n == nil {
		return nil
	}
	return &rankedNode{node: n}
}

func (it *feasibleRankIterator) Reset() { it.source.Reset() }

// binPackIterator passes on nodes that have room for ask on top of their
// proposed allocations, scored so that fuller nodes rank higher. Nodes
// without room are counted as exhausted and skipped, so they never take a
// place in the candidate limit.
type binPackIterator struct {
	ctx    *evalContext
	source rankIterator
	ask    structs.ComparableResources
}

func (it *binPackIterator) Next() *rankedNode {
	for {
		opt := it.source.Next()
		if opt == nil {
			return nil
		}
		proposed := opt.proposedAllocs(it.ctx)
		if it.ctx.err != nil {
			return nil
		}
		used := it.ask
		for _, a := range proposed {
			used.Add(a.AllocatedResources.Comparable())
		}
		capacity := opt.node.Capacity()
		if ok, dim := capacity.Superset(used); !ok {
			it.ctx.metrics.ExhaustedNode(dim)
			continue
		}
		opt.addScore(it.ctx, "binpack", fitScore(capacity, used))
		return opt
	}
}

func (it *binPackIterator) Reset() { it.source.Reset() }

// maxFitScore is the best raw bin-packing score: a node left with no free
// CPU or memory scores 20 - (10^0 + 10^0).
const maxFitScore = 18.0

// fitScore rates how tightly used fills capacity, from 0 (empty) to 1
// (full). Like Nomad it is 20 - (10^freeCPU + 10^freeMem) over its maximum,
// where free* is the fraction left free: the exponent rewards nodes that
// are nearly full in either dimension.
func fitScore(capacity, used structs.ComparableResources) float64 {
	total := math.Pow(10, freeFraction(capacity.CPU, used.CPU)) +
		math.Pow(10, freeFraction(capacity.MemoryMB, used.MemoryMB))
	score := 20 - total
	return math.Max(0, math.Min(score, maxFitScore)) / maxFitScore
}

func freeFraction(capacity, used int64) float64 {
	if capacity <= 0 {
		return 0
	}
	return 1 - float64(used)/float64(capacity)
}
