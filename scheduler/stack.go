package scheduler

import (
	"maps"

	"github.com/drover-project/drover/structs"
)

// stack chains the iterators that pick a node for one allocation:
//
//	nodeSource -> checkIterator -> binPack -> jobAntiAffinity ->
//	scoreNormalization -> limit -> maxScore
//
// Cheap, node-only feasibility checks run first so that rankers only see
// nodes that could run the group. Bin-packing comes before the limit so
// that nodes without room never use up a candidate slot, and the limit
// comes before the final pick so that large clusters are not scored whole.
type stack struct {
	ctx      *evalContext
	source   *nodeSource
	checks   *checkIterator
	binPack  *binPackIterator
	antiAff  *jobAntiAffinityIterator
	maxScore *maxScoreIterator

	job       *structs.Job
	available map[string]int
	inPool    int
}

// newStack builds a stack over ready nodes in an order fixed by seed.
func newStack(ctx *evalContext, ready []*structs.Node, seed string) *stack {
	s := &stack{ctx: ctx}
	s.source = &nodeSource{ctx: ctx, nodes: shuffleNodes(ready, seed)}
	s.checks = &checkIterator{ctx: ctx, source: s.source}
	s.binPack = &binPackIterator{ctx: ctx, source: &feasibleRankIterator{source: s.checks}}
	s.antiAff = &jobAntiAffinityIterator{ctx: ctx, source: s.binPack}
	norm := &scoreNormalizationIterator{ctx: ctx, source: s.antiAff}
	limit := &limitIterator{source: norm, limit: candidateLimit(len(ready)),
		threshold: skipScoreThreshold, maxSkip: maxSkip}
	s.maxScore = &maxScoreIterator{source: limit}
	return s
}

// setJob prepares the stack for job and counts the ready nodes it may use,
// for the metrics of every placement.
func (s *stack) setJob(job *structs.Job) {
	s.job = job
	s.available = make(map[string]int)
	s.inPool = 0
	for _, n := range s.source.nodes {
		if datacenterMatches(job.Datacenters, n.Datacenter) {
			s.available[n.Datacenter]++
		}
		if poolMatches(job.NodePool, n.NodePool) {
			s.inPool++
		}
	}
}

// selectNode picks a node for one allocation of tg. It returns nil when no
// node fits, and in both cases the metric explaining the decision.
func (s *stack) selectNode(tg *structs.TaskGroup) (*rankedNode, *structs.AllocMetric) {
	m := &structs.AllocMetric{NodesAvailable: maps.Clone(s.available), NodesInPool: s.inPool}
	s.ctx.metrics = m
	s.checks.checkers = s.checkers(tg, true)
	s.binPack.ask = structs.AllocatedResourcesFor(tg).Comparable()
	s.antiAff.set(s.job, tg)
	s.maxScore.Reset()
	return s.maxScore.Next(), m
}

// feasibleOn reports whether node still satisfies the job's placement
// rules for tg, ignoring resources and distinct_hosts (the allocation
// asking is already there).
func (s *stack) feasibleOn(node *structs.Node, tg *structs.TaskGroup) bool {
	for _, c := range s.checkers(tg, false) {
		if ok, _ := c.check(node); !ok {
			return false
		}
	}
	return true
}

// checkers lists the feasibility checks for tg, cheapest first.
func (s *stack) checkers(tg *structs.TaskGroup, distinct bool) []feasibilityChecker {
	job := s.job
	out := []feasibilityChecker{
		datacenterChecker{datacenters: job.Datacenters},
		nodePoolChecker{pool: job.NodePool},
		newDriverChecker(tg),
	}
	var distinctCheckers []feasibilityChecker
	add := func(cs []*structs.Constraint, group string) {
		for _, c := range cs {
			if c.Operand != opDistinctHosts {
				out = append(out, constraintChecker{ctx: s.ctx, constraint: c})
			} else if distinct && distinctHostsEnabled(c) {
				distinctCheckers = append(distinctCheckers, distinctHostsChecker{ctx: s.ctx,
					namespace: job.Namespace, jobID: job.ID, group: group, reason: c.String()})
			}
		}
	}
	add(job.Constraints, "")
	add(tg.Constraints, tg.Name)
	for _, t := range tg.Tasks {
		add(t.Constraints, tg.Name)
	}
	return append(out, distinctCheckers...)
}
