package structs

// Plan is a scheduler's proposed change to the cluster. The plan applier on
// the leader checks it against the latest state and commits what still fits.
type Plan struct {
	EvalID    string
	EvalToken string
	Priority  int
	// Job is the job the plan was made for (nil when the job is gone).
	Job *Job
	// NodeUpdate holds allocations to stop, by node ID.
	NodeUpdate map[string][]*Allocation
	// NodeAllocation holds new and in-place updated allocations, by node ID.
	NodeAllocation map[string][]*Allocation
	// SnapshotIndex is the state index the scheduler worked from.
	SnapshotIndex uint64
}

// AppendStoppedAlloc adds a stop of alloc with a description.
func (p *Plan) AppendStoppedAlloc(alloc *Allocation, desc, clientStatus string) {
	a := alloc.Copy()
	a.Job = nil // the stored alloc keeps its job; only status changes travel
	a.DesiredStatus = AllocDesiredStatusStop
	a.DesiredDescription = desc
	if clientStatus != "" {
		a.ClientStatus = clientStatus
	}
	if p.NodeUpdate == nil {
		p.NodeUpdate = make(map[string][]*Allocation)
	}
	p.NodeUpdate[a.NodeID] = append(p.NodeUpdate[a.NodeID], a)
}

// AppendAlloc adds a placement or in-place update.
func (p *Plan) AppendAlloc(alloc *Allocation) {
	if p.NodeAllocation == nil {
		p.NodeAllocation = make(map[string][]*Allocation)
	}
	p.NodeAllocation[alloc.NodeID] = append(p.NodeAllocation[alloc.NodeID], alloc)
}

// IsNoOp reports whether the plan changes nothing.
func (p *Plan) IsNoOp() bool {
	return len(p.NodeUpdate) == 0 && len(p.NodeAllocation) == 0
}

// PlanResult is what the plan applier committed.
type PlanResult struct {
	NodeUpdate     map[string][]*Allocation
	NodeAllocation map[string][]*Allocation
	// RefreshIndex, when non-zero, says the plan was partly rejected and the
	// scheduler must refresh its state to at least this index and retry.
	RefreshIndex uint64
	// AllocIndex is the Raft index at which the result was committed.
	AllocIndex uint64
}

// IsNoOp reports whether nothing was committed.
func (r *PlanResult) IsNoOp() bool {
	return len(r.NodeUpdate) == 0 && len(r.NodeAllocation) == 0
}

// FullCommit reports whether everything in plan was committed, with the
// number expected and actually committed.
func (r *PlanResult) FullCommit(p *Plan) (bool, int, int) {
	expected, actual := 0, 0
	for node, allocs := range p.NodeAllocation {
		expected += len(allocs)
		actual += len(r.NodeAllocation[node])
	}
	return expected == actual, expected, actual
}
