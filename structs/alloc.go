package structs

import "fmt"

// Allocation desired statuses, set by the scheduler.
const (
	AllocDesiredStatusRun   = "run"
	AllocDesiredStatusStop  = "stop"
	AllocDesiredStatusEvict = "evict"
)

// Allocation client statuses, reported by the client.
const (
	AllocClientStatusPending  = "pending"
	AllocClientStatusRunning  = "running"
	AllocClientStatusComplete = "complete"
	AllocClientStatusFailed   = "failed"
	AllocClientStatusLost     = "lost"
	AllocClientStatusUnknown  = "unknown"
)

// Allocation is one instance of a task group placed on a node.
type Allocation struct {
	ID                 string
	Namespace          string
	EvalID             string
	Name               string
	NodeID             string
	NodeName           string
	JobID              string
	Job                *Job
	TaskGroup          string
	AllocatedResources *AllocatedResources
	Metrics            *AllocMetric
	DesiredStatus      string
	DesiredDescription string
	// DesiredTransition carries server requests the scheduler acts on
	// (migrate, from the node drainer).
	DesiredTransition  DesiredTransition
	ClientStatus       string
	ClientDescription  string
	TaskStates         map[string]*TaskState
	FollowupEvalID     string
	PreviousAllocation string
	NextAllocation     string
	CreateIndex        uint64
	ModifyIndex        uint64
	AllocModifyIndex   uint64
	CreateTime         int64
	ModifyTime         int64
}

// AllocName is Nomad's "<job>.<group>[<index>]".
func AllocName(job, group string, idx int) string {
	return fmt.Sprintf("%s.%s[%d]", job, group, idx)
}

// Index returns the allocation's index parsed from its name, or -1.
func (a *Allocation) Index() int {
	var idx int
	l := len(a.Name)
	open := -1
	for i := l - 1; i >= 0; i-- {
		if a.Name[i] == '[' {
			open = i
			break
		}
	}
	if open < 0 || l == 0 || a.Name[l-1] != ']' {
		return -1
	}
	if _, err := fmt.Sscanf(a.Name[open+1:l-1], "%d", &idx); err != nil {
		return -1
	}
	return idx
}

// Copy returns a shallow copy of the allocation with its own TaskStates map.
// The Job pointer is shared: jobs in state are immutable.
func (a *Allocation) Copy() *Allocation {
	if a == nil {
		return nil
	}
	c := *a
	if a.TaskStates != nil {
		c.TaskStates = make(map[string]*TaskState, len(a.TaskStates))
		for k, v := range a.TaskStates {
			c.TaskStates[k] = v.Copy()
		}
	}
	return &c
}

// TerminalStatus reports whether the allocation is, or is meant to be, finished.
func (a *Allocation) TerminalStatus() bool {
	switch a.DesiredStatus {
	case AllocDesiredStatusStop, AllocDesiredStatusEvict:
		return true
	}
	return a.ClientTerminalStatus()
}

// ClientTerminalStatus reports whether the client says the allocation ended.
func (a *Allocation) ClientTerminalStatus() bool {
	switch a.ClientStatus {
	case AllocClientStatusComplete, AllocClientStatusFailed, AllocClientStatusLost:
		return true
	}
	return false
}

// UsesResources reports whether the allocation counts against its node's
// capacity. As in Nomad, a stopped allocation frees its share as soon as the
// stop is committed, so a replacement can take its place in the same plan.
func (a *Allocation) UsesResources() bool {
	return !a.TerminalStatus()
}

// Stub returns the allocation's list form.
func (a *Allocation) Stub() *AllocListStub {
	s := &AllocListStub{
		ID: a.ID, EvalID: a.EvalID, Name: a.Name, Namespace: a.Namespace, NodeID: a.NodeID,
		NodeName: a.NodeName, JobID: a.JobID, TaskGroup: a.TaskGroup,
		AllocatedResources: a.AllocatedResources, DesiredStatus: a.DesiredStatus,
		DesiredDescription: a.DesiredDescription, DesiredTransition: a.DesiredTransition, ClientStatus: a.ClientStatus,
		ClientDescription: a.ClientDescription, TaskStates: a.TaskStates,
		FollowupEvalID: a.FollowupEvalID, NextAllocation: a.NextAllocation,
		CreateIndex: a.CreateIndex, ModifyIndex: a.ModifyIndex,
		CreateTime: a.CreateTime, ModifyTime: a.ModifyTime,
	}
	if a.Job != nil {
		s.JobType = a.Job.Type
		s.JobVersion = a.Job.Version
	}
	return s
}

// AllocListStub is the allocation's form in lists.
type AllocListStub struct {
	ID                 string
	EvalID             string
	Name               string
	Namespace          string
	NodeID             string
	NodeName           string
	JobID              string
	JobType            string
	JobVersion         uint64
	TaskGroup          string
	AllocatedResources *AllocatedResources `json:",omitempty"`
	DesiredStatus      string
	DesiredDescription string
	DesiredTransition  DesiredTransition
	ClientStatus       string
	ClientDescription  string
	TaskStates         map[string]*TaskState
	FollowupEvalID     string
	NextAllocation     string
	CreateIndex        uint64
	ModifyIndex        uint64
	CreateTime         int64
	ModifyTime         int64
}

// AllocMetric explains a placement decision or failure.
type AllocMetric struct {
	NodesEvaluated     int
	NodesFiltered      int
	NodesInPool        int
	NodesAvailable     map[string]int
	ClassFiltered      map[string]int
	ConstraintFiltered map[string]int
	NodesExhausted     int
	ClassExhausted     map[string]int
	DimensionExhausted map[string]int
	Scores             map[string]float64
	AllocationTime     int64
	CoalescedFailures  int
}

// FilterNode records a node filtered out for reason.
func (m *AllocMetric) FilterNode(reason string) {
	m.NodesFiltered++
	if m.ConstraintFiltered == nil {
		m.ConstraintFiltered = make(map[string]int)
	}
	m.ConstraintFiltered[reason]++
}

// ExhaustedNode records a node without room in dimension.
func (m *AllocMetric) ExhaustedNode(dimension string) {
	m.NodesExhausted++
	if m.DimensionExhausted == nil {
		m.DimensionExhausted = make(map[string]int)
	}
	m.DimensionExhausted[dimension]++
}
