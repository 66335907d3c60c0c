package scheduler

import (
	"github.com/drover-project/drover/structs"
)

// replacement is an allocation that is gone or failed and is replaced.
type replacement struct {
	alloc *structs.Allocation
	// lost is true when the allocation's node is down or gone; otherwise
	// the allocation failed.
	lost bool
}

// classified sorts one group's allocations by what the reconciler does
// with them. Each list is ordered by name index, then ID.
type classified struct {
	// live allocations run (or are about to) on healthy nodes.
	live []*structs.Allocation
	// replace holds allocations that must be stopped and replaced.
	replace []replacement
	// done holds batch allocations that finished for good: they keep their
	// name and count toward the group's Count, but are never replaced.
	done []*structs.Allocation
}

// classify splits allocs. Allocations the scheduler already stopped, and
// finished ones that are neither replaced nor done, are ignored: their
// names are free again.
func (r *reconciler) classify(allocs []*structs.Allocation) classified {
	sorted := append([]*structs.Allocation(nil), allocs...)
	sortByIndex(sorted)
	var c classified
	for _, a := range sorted {
		if a.DesiredStatus != structs.AllocDesiredStatusRun {
			continue
		}
		switch a.ClientStatus {
		case structs.AllocClientStatusComplete:
			if r.batch {
				c.done = append(c.done, a)
			}
		case structs.AllocClientStatusFailed:
			// A batch allocation is retried once: a failed replacement
			// stays failed and counts as done.
			if r.batch && a.PreviousAllocation != "" {
				c.done = append(c.done, a)
			} else {
				c.replace = append(c.replace, replacement{alloc: a})
			}
		case structs.AllocClientStatusLost:
			// Terminal already; its name is free for a new placement.
		default:
			if r.lostNodes[a.NodeID] {
				c.replace = append(c.replace, replacement{alloc: a, lost: true})
			} else {
				c.live = append(c.live, a)
			}
		}
	}
	return c
}
