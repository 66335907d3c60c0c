package scheduler

import (
	"sort"

	"github.com/drover-project/drover/structs"
)

// updateKind says how a live allocation moves to the current job version.
type updateKind int

const (
	// updateNone: the allocation already runs the current job.
	updateNone updateKind = iota
	// updateInPlace: only non-destructive fields (such as Count) changed;
	// the allocation keeps its node and just gets the new job.
	updateInPlace
	// updateDestructive: tasks changed or the node no longer fits the job;
	// the allocation is stopped and replaced.
	updateDestructive
)

// allocStop is an allocation the plan stops.
type allocStop struct {
	alloc        *structs.Allocation
	desc         string
	clientStatus string
}

// allocPlace is an allocation the plan must place.
type allocPlace struct {
	tg    *structs.TaskGroup
	name  string
	index int
	// previous is the allocation this one replaces, or nil.
	previous *structs.Allocation
	// destructive means previous is still live and is stopped only if this
	// placement succeeds.
	destructive bool
}

// reconcileResult is what the job needs done. Stops come first: they free
// resources for the in-place updates and placements.
type reconcileResult struct {
	stops   []allocStop
	inplace []*structs.Allocation
	places  []allocPlace
}

// reconciler compares a job's desired state with its allocations. It is
// pure: node state and update decisions come in as data and a function.
type reconciler struct {
	// job is the current job; nil when purged.
	job   *structs.Job
	batch bool
	// lostNodes holds the IDs of nodes that are down or gone.
	lostNodes map[string]bool
	// disconnectedNodes holds the IDs of nodes that missed their heartbeat
	// but are not yet down (status disconnected).
	disconnectedNodes map[string]bool
	// update classifies a live allocation of job's group tg.
	update func(alloc *structs.Allocation, tg *structs.TaskGroup) updateKind
}

// reconcile returns the stops, in-place updates and placements that bring
// allocs (all of the job's allocations) to the job's desired state.
func (r *reconciler) reconcile(allocs []*structs.Allocation) *reconcileResult {
	byGroup := make(map[string][]*structs.Allocation)
	for _, a := range allocs {
		byGroup[a.TaskGroup] = append(byGroup[a.TaskGroup], a)
	}
	res := &reconcileResult{}
	stopDesc := descNotNeeded
	if r.job.Stopped() {
		stopDesc = descJobStopped
	}
	seen := make(map[string]bool)
	if !r.job.Stopped() {
		for _, tg := range r.job.TaskGroups {
			seen[tg.Name] = true
			r.group(tg, tg.Count, stopDesc, byGroup[tg.Name], res)
		}
	}
	// Groups that are no longer wanted: the job was stopped or purged, or
	// the group was removed from it.
	var gone []string
	for name := range byGroup {
		if !seen[name] {
			gone = append(gone, name)
		}
	}
	sort.Strings(gone)
	for _, name := range gone {
		r.group(nil, 0, stopDesc, byGroup[name], res)
	}
	return res
}

// group reconciles one task group. tg is nil when the group is not wanted.
func (r *reconciler) group(tg *structs.TaskGroup, count int, stopDesc string, allocs []*structs.Allocation, res *reconcileResult) {
	c := r.classify(tg, allocs)
	for _, a := range c.reconnected {
		res.stops = append(res.stops, allocStop{a, descReconnected, ""})
	}
	// Replaced allocations whose replacement already runs are only stopped.
	var replace []replacement
	for _, rp := range c.replace {
		if rp.replaced {
			res.stops = append(res.stops, rp.stopUnneeded(descRescheduled))
		} else {
			replace = append(replace, rp)
		}
	}
	// Scale down: stop what needs replacing first, then unknown
	// replacements (never placed), then the highest indexes.
	excess := len(c.live) + len(replace) + len(c.done) + len(c.unknown) + len(c.replaceUnknown) - count
	for excess > 0 && len(replace) > 0 {
		last := replace[len(replace)-1]
		replace = replace[:len(replace)-1]
		res.stops = append(res.stops, last.stopUnneeded(stopDesc))
		excess--
	}
	for excess > 0 && len(c.replaceUnknown) > 0 {
		// Not placed again; the unknown original is left to its node.
		last := c.replaceUnknown[len(c.replaceUnknown)-1]
		c.replaceUnknown = c.replaceUnknown[:len(c.replaceUnknown)-1]
		res.stops = append(res.stops, allocStop{last, stopDesc, ""})
		excess--
	}
	for excess > 0 && len(c.live) > 0 {
		last := c.live[len(c.live)-1]
		c.live = c.live[:len(c.live)-1]
		res.stops = append(res.stops, allocStop{last, stopDesc, ""})
		excess--
	}
	for excess > 0 && len(c.unknown) > 0 {
		last := c.unknown[len(c.unknown)-1]
		c.unknown = c.unknown[:len(c.unknown)-1]
		res.stops = append(res.stops, allocStop{last, stopDesc, ""})
		excess--
	}
	if tg == nil {
		return
	}
	used := make(map[int]bool)
	for _, rp := range replace {
		used[rp.alloc.Index()] = true
		res.stops = append(res.stops, rp.stop(descRescheduled))
		res.places = append(res.places, allocPlace{tg: tg, name: rp.alloc.Name, index: rp.alloc.Index(), previous: rp.alloc})
	}
	for _, a := range c.replaceUnknown {
		used[a.Index()] = true
		res.places = append(res.places, allocPlace{tg: tg, name: a.Name, index: a.Index(), previous: a})
	}
	for _, a := range c.unknown {
		used[a.Index()] = true
	}
	for _, a := range c.live {
		used[a.Index()] = true
		switch r.update(a, tg) {
		case updateInPlace:
			res.inplace = append(res.inplace, a)
		case updateDestructive:
			res.places = append(res.places, allocPlace{tg: tg, name: a.Name, index: a.Index(), previous: a, destructive: true})
		}
	}
	for _, a := range c.done {
		used[a.Index()] = true
	}
	missing := count - len(c.live) - len(replace) - len(c.done) - len(c.unknown) - len(c.replaceUnknown)
	for _, idx := range freeIndexes(used, missing) {
		res.places = append(res.places, allocPlace{tg: tg, name: structs.AllocName(r.jobID(allocs), tg.Name, idx), index: idx})
	}
}

// jobID names new allocations after the job.
func (r *reconciler) jobID(allocs []*structs.Allocation) string {
	if r.job != nil {
		return r.job.ID
	}
	return allocs[0].JobID
}
