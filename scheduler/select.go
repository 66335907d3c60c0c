package scheduler

import (
	"math"
)

// Candidate limit tuning. Scoring every node is wasteful on large clusters:
// a few random feasible candidates find a good node with high probability
// (the "power of two choices").
const (
	minCandidates = 2
	// skipScoreThreshold: candidates scoring below it (e.g. penalised for
	// already holding the same group) are set aside, up to maxSkip of
	// them, in the hope of finding better ones; they are used when the
	// source runs out.
	skipScoreThreshold = 0.0
	maxSkip            = 3
)

// candidateLimit is max(2, ceil(log2(n))) for n ready nodes.
func candidateLimit(n int) int {
	if n <= 1 {
		return minCandidates
	}
	return max(minCandidates, int(math.Ceil(math.Log2(float64(n)))))
}

// limitIterator yields at most limit candidates per selection.
type limitIterator struct {
	source    rankIterator
	limit     int
	threshold float64
	maxSkip   int

	seen    int
	skipped []*rankedNode
}

func (it *limitIterator) Next() *rankedNode {
	if it.seen >= it.limit {
		return nil
	}
	for {
		opt := it.source.Next()
		if opt == nil {
			break
		}
		if opt.finalScore < it.threshold && len(it.skipped) < it.maxSkip {
			it.skipped = append(it.skipped, opt)
			continue
		}
		it.seen++
		return opt
	}
	if len(it.skipped) == 0 {
		return nil
	}
	opt := it.skipped[0]
	it.skipped = it.skipped[1:]
	it.seen++
	return opt
}

func (it *limitIterator) Reset() {
	it.seen = 0
	it.skipped = nil
	it.source.Reset()
}

// maxScoreIterator drains its source and yields the best candidate once;
// on ties the first one seen wins.
type maxScoreIterator struct {
	source rankIterator
	done   bool
}

func (it *maxScoreIterator) Next() *rankedNode {
	if it.done {
		return nil
	}
	it.done = true
	var best *rankedNode
	for opt := it.source.Next(); opt != nil; opt = it.source.Next() {
		if best == nil || opt.finalScore > best.finalScore {
			best = opt
		}
	}
	return best
}

func (it *maxScoreIterator) Reset() {
	it.done = false
	it.source.Reset()
}
