package scheduler

import (
	"github.com/drover-project/drover/structs"
)

// replaceReason says why an allocation is stopped and replaced.
type replaceReason int

const (
	// replaceFailed: the allocation failed on its client.
	replaceFailed replaceReason = iota
	// replaceLost: the allocation's node is down or gone, or disconnected
	// and the group does not tolerate disconnection.
	replaceLost
	// replaceMigrate: the node drainer marked it for migration.
	replaceMigrate
)

// replacement is an allocation that is gone, failed or migrating and is
// replaced.
type replacement struct {
	alloc  *structs.Allocation
	reason replaceReason
	// replaced means a live replacement exists already (placed while the
	// allocation was unknown): it is stopped but not placed again.
	replaced bool
}

// lost reports whether the allocation is replaced because its node is gone.
func (r replacement) lost() bool { return r.reason == replaceLost }

// stop returns how the plan stops the allocation when it is replaced:
// desc describes a failed one.
func (r replacement) stop(desc string) allocStop {
	switch r.reason {
	case replaceLost:
		return allocStop{r.alloc, descLost, structs.AllocClientStatusLost}
	case replaceMigrate:
		return allocStop{r.alloc, descMigrating, ""}
	}
	return allocStop{r.alloc, desc, ""}
}

// stopUnneeded returns how the plan stops the allocation when it is not
// replaced (scale down, job stopped): lost ones are still recorded lost.
func (r replacement) stopUnneeded(desc string) allocStop {
	if r.lost() {
		return allocStop{r.alloc, descLost, structs.AllocClientStatusLost}
	}
	return allocStop{r.alloc, desc, ""}
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
	// unknown holds allocations on disconnected nodes that the group
	// tolerates and that have no replacement: they keep their names and
	// count toward Count.
	unknown []*structs.Allocation
	// replaceUnknown holds allocations of unknown that get a replacement now
	// (the group's disconnect block says replace = true). They stay as they
	// are; the replacement takes their place in the count.
	replaceUnknown []*structs.Allocation
	// reconnected holds allocations stopped because their node came back
	// and the reconcile rule kept the other copy.
	reconnected []*structs.Allocation
}

// classify splits allocs of group tg (nil when the group is not wanted).
// Allocations the scheduler already stopped, and finished ones that are
// neither replaced nor done, are ignored: their names are free again.
func (r *reconciler) classify(tg *structs.TaskGroup, allocs []*structs.Allocation) classified {
	sorted := append([]*structs.Allocation(nil), allocs...)
	sortByIndex(sorted)
	var c classified
	var unknown []*structs.Allocation
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
				c.replace = append(c.replace, replacement{alloc: a, reason: replaceFailed})
			}
		case structs.AllocClientStatusLost:
			// Terminal already; its name is free for a new placement.
		default:
			switch {
			case r.lostNodes[a.NodeID]:
				c.replace = append(c.replace, replacement{alloc: a, reason: replaceLost})
			case r.disconnectedNodes[a.NodeID]:
				if tg.DisconnectLostAfter() > 0 {
					unknown = append(unknown, a)
				} else {
					c.replace = append(c.replace, replacement{alloc: a, reason: replaceLost})
				}
			case a.DesiredTransition.ShouldMigrate():
				c.replace = append(c.replace, replacement{alloc: a, reason: replaceMigrate})
			default:
				c.live = append(c.live, a)
			}
		}
	}
	r.pairReplacements(tg, &c, unknown)
	return c
}

// pairReplacements handles allocations that were replaced while their node
// was disconnected (the replacement's PreviousAllocation names them):
//   - still disconnected: the original waits, the replacement counts;
//   - lost meanwhile: the original is stopped without a second replacement;
//   - reconnected: both run, and the group's reconcile rule picks one.
//
// Unknown allocations without a replacement get one if the group asks for
// it, else they keep their place.
func (r *reconciler) pairReplacements(tg *structs.TaskGroup, c *classified, unknown []*structs.Allocation) {
	replacedBy := make(map[string]*structs.Allocation)
	for _, list := range [][]*structs.Allocation{c.live, unknown} {
		for _, a := range list {
			if a.PreviousAllocation != "" {
				replacedBy[a.PreviousAllocation] = a
			}
		}
	}
	if len(replacedBy) == 0 && len(unknown) == 0 {
		return
	}
	for i := range c.replace {
		if replacedBy[c.replace[i].alloc.ID] != nil && c.replace[i].lost() {
			c.replace[i].replaced = true
		}
	}
	for _, a := range unknown {
		switch {
		case replacedBy[a.ID] != nil:
			// Its replacement counts; it waits for its node.
		case tg.Disconnect.ShouldReplace():
			c.replaceUnknown = append(c.replaceUnknown, a)
		default:
			c.unknown = append(c.unknown, a)
		}
	}
	if tg == nil {
		return
	}
	stop := make(map[string]bool)
	for _, orig := range c.live {
		repl := replacedBy[orig.ID]
		if repl == nil || stop[orig.ID] || repl.ClientStatus == structs.AllocClientStatusUnknown {
			continue
		}
		if r.disconnectedNodes[repl.NodeID] {
			continue
		}
		loser := repl
		if !keepOriginal(tg.Disconnect.ReconcileRule(), orig, repl) {
			loser = orig
		}
		stop[loser.ID] = true
		c.reconnected = append(c.reconnected, loser)
	}
	if len(stop) > 0 {
		kept := c.live[:0:0]
		for _, a := range c.live {
			if !stop[a.ID] {
				kept = append(kept, a)
			}
		}
		c.live = kept
	}
}
