package scheduler

import (
	"fmt"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/structs"
)

// planBuilder holds one planning attempt: a plan computed from one state.
type planBuilder struct {
	eval  *structs.Evaluation
	job   *structs.Job
	plan  *structs.Plan
	ctx   *evalContext
	stack *stack
	nodes *clusterNodes
	out   *outcome
}

// attempt computes a plan for eval from st.
func (s *genericScheduler) attempt(st State, eval *structs.Evaluation, logger hclog.Logger) (*outcome, error) {
	job, err := st.JobByID(nil, eval.Namespace, eval.JobID)
	if err != nil {
		return nil, fmt.Errorf("reading job %q: %w", eval.JobID, err)
	}
	if job != nil && job.Type != s.jobType {
		return nil, fmt.Errorf("job %q has type %q; the %s scheduler cannot handle it", job.ID, job.Type, s.jobType)
	}
	allocs, err := st.AllocsByJob(nil, eval.Namespace, eval.JobID)
	if err != nil {
		return nil, fmt.Errorf("reading allocations of job %q: %w", eval.JobID, err)
	}
	nodes, err := loadNodes(st)
	if err != nil {
		return nil, err
	}
	plan := &structs.Plan{EvalID: eval.ID, Priority: eval.Priority, Job: job, SnapshotIndex: st.LatestIndex()}
	ctx := newEvalContext(st, plan, logger)
	b := &planBuilder{
		eval:  eval,
		job:   job,
		plan:  plan,
		ctx:   ctx,
		stack: newStack(ctx, nodes.ready, eval.ID),
		nodes: nodes,
		out: &outcome{plan: plan, failed: make(map[string]*structs.AllocMetric),
			queued: make(map[string]int), snapshotIndex: plan.SnapshotIndex},
	}
	if job != nil {
		b.stack.setJob(job)
		for _, tg := range job.TaskGroups {
			b.out.queued[tg.Name] = 0
		}
	}
	lost := make(map[string]bool)
	disconnected := make(map[string]bool)
	for _, a := range allocs {
		switch {
		case nodes.lost(a.NodeID):
			lost[a.NodeID] = true
		case nodes.disconnected(a.NodeID):
			disconnected[a.NodeID] = true
		}
	}
	rec := &reconciler{job: job, batch: s.jobType == structs.JobTypeBatch, lostNodes: lost,
		disconnectedNodes: disconnected, update: b.updateKind}
	res := rec.reconcile(allocs)
	for _, stop := range res.stops {
		plan.AppendStoppedAlloc(stop.alloc, stop.desc, stop.clientStatus)
	}
	for _, a := range res.inplace {
		plan.AppendAlloc(b.inPlaceUpdate(a))
	}
	if err := b.place(res.places); err != nil {
		return nil, err
	}
	logger.Debug("planned", "stops", len(res.stops), "inplace", len(res.inplace),
		"placements", len(res.places), "failed_groups", len(b.out.failed))
	return b.out, nil
}

// updateKind decides how a live allocation of tg moves to the current job.
func (b *planBuilder) updateKind(a *structs.Allocation, tg *structs.TaskGroup) updateKind {
	if a.Job != nil && a.Job.JobModifyIndex == b.job.JobModifyIndex {
		return updateNone
	}
	if groupChanged(a.Job, b.job, tg.Name) {
		return updateDestructive
	}
	node := b.nodes.byID[a.NodeID]
	if node == nil {
		return updateDestructive
	}
	// The plan applier accepts no allocations for a node that is not ready
	// (ineligible, draining), not even in-place updates; the allocation
	// keeps running under its old job version, which is all a
	// non-destructive change needs.
	if !node.Ready() {
		return updateNone
	}
	// The job's placement rules (datacenters, pool) may have changed even
	// though its tasks did not: the node must still be acceptable.
	if !b.stack.feasibleOn(node, tg) {
		return updateDestructive
	}
	return updateInPlace
}

// inPlaceUpdate returns a's new form under the current job.
func (b *planBuilder) inPlaceUpdate(a *structs.Allocation) *structs.Allocation {
	u := a.Copy()
	u.Job = b.job
	u.EvalID = b.eval.ID
	// The client owns these fields. Leaving them empty makes the state
	// store keep its current values rather than this snapshot's possibly
	// stale ones.
	u.ClientStatus = ""
	u.ClientDescription = ""
	u.TaskStates = nil
	return u
}
