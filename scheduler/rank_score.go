package scheduler

import (
	"github.com/drover-project/drover/structs"
)

// jobAntiAffinityIterator penalises nodes that already hold allocations of
// the same job and group, so a group's instances spread out unless packing
// wins clearly. The penalty grows with the number of collisions relative to
// the group's count.
type jobAntiAffinityIterator struct {
	ctx       *evalContext
	source    rankIterator
	namespace string
	jobID     string
	group     string
	desired   int
}

func (it *jobAntiAffinityIterator) set(job *structs.Job, tg *structs.TaskGroup) {
	it.namespace, it.jobID, it.group, it.desired = job.Namespace, job.ID, tg.Name, tg.Count
}

func (it *jobAntiAffinityIterator) Next() *rankedNode {
	opt := it.source.Next()
	if opt == nil {
		return nil
	}
	collisions := 0
	for _, a := range opt.proposedAllocs(it.ctx) {
		if a.Namespace == it.namespace && a.JobID == it.jobID && a.TaskGroup == it.group {
			collisions++
		}
	}
	if collisions > 0 {
		desired := max(it.desired, 1)
		opt.addScore(it.ctx, "job-anti-affinity", -float64(collisions+1)/float64(desired))
	}
	return opt
}

func (it *jobAntiAffinityIterator) Reset() { it.source.Reset() }

// scoreNormalizationIterator sets each node's final score to the mean of
// the scores the rankers gave it.
type scoreNormalizationIterator struct {
	ctx    *evalContext
	source rankIterator
}

func (it *scoreNormalizationIterator) Next() *rankedNode {
	opt := it.source.Next()
	if opt == nil {
		return nil
	}
	var sum float64
	for _, s := range opt.scores {
		sum += s
	}
	if len(opt.scores) > 0 {
		opt.finalScore = sum / float64(len(opt.scores))
	}
	recordScore(it.ctx.metrics, opt.node.ID+".normalized-score", opt.finalScore)
	return opt
}

func (it *scoreNormalizationIterator) Reset() { it.source.Reset() }
