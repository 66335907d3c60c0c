package scheduler

import (
	"github.com/drover-project/drover/structs"
)

// place selects a node for each placement and adds the allocations to the
// plan. After a group's first failure its remaining placements are not
// tried (they would fail the same way) but counted as coalesced failures.
func (b *planBuilder) place(places []allocPlace) error {
	for _, p := range places {
		group := p.tg.Name
		if m, failed := b.out.failed[group]; failed {
			m.CoalescedFailures++
			b.out.queued[group]++
			continue
		}
		// A destructive update frees the old allocation's resources for
		// its replacement (possibly on the same node), and only if the
		// replacement is placed.
		if p.destructive {
			b.plan.AppendStoppedAlloc(p.previous, descUpdating, "")
		}
		option, metric := b.stack.selectNode(p.tg)
		if b.ctx.err != nil {
			return b.ctx.err
		}
		if option == nil {
			if p.destructive {
				popStop(b.plan, p.previous)
			}
			b.out.failed[group] = metric
			b.out.queued[group]++
			continue
		}
		b.plan.AppendAlloc(b.newAlloc(p, option.node, metric))
	}
	return nil
}

// newAlloc builds the allocation for p on node.
func (b *planBuilder) newAlloc(p allocPlace, node *structs.Node, metric *structs.AllocMetric) *structs.Allocation {
	a := &structs.Allocation{
		ID:                 structs.GenerateUUID(),
		Namespace:          b.job.Namespace,
		EvalID:             b.eval.ID,
		Name:               p.name,
		NodeID:             node.ID,
		NodeName:           node.Name,
		JobID:              b.job.ID,
		Job:                b.job,
		TaskGroup:          p.tg.Name,
		AllocatedResources: structs.AllocatedResourcesFor(p.tg),
		Metrics:            metric,
		DesiredStatus:      structs.AllocDesiredStatusRun,
		ClientStatus:       structs.AllocClientStatusPending,
	}
	if p.previous != nil {
		a.PreviousAllocation = p.previous.ID
	}
	return a
}

// popStop removes the stop of alloc that was appended last for its node.
func popStop(plan *structs.Plan, alloc *structs.Allocation) {
	stops := plan.NodeUpdate[alloc.NodeID]
	for i := len(stops) - 1; i >= 0; i-- {
		if stops[i].ID == alloc.ID {
			stops = append(stops[:i], stops[i+1:]...)
			break
		}
	}
	if len(stops) == 0 {
		delete(plan.NodeUpdate, alloc.NodeID)
		return
	}
	plan.NodeUpdate[alloc.NodeID] = stops
}
