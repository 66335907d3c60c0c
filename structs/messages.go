package structs

import "time"

// MessageType is the first byte of every Raft log entry; it tells the FSM
// how to decode the rest.
type MessageType uint8

// Raft message types. Values are persisted in logs and snapshots: append
// only, never renumber.
const (
	JobRegisterRequestType MessageType = iota + 1
	JobDeregisterRequestType
	EvalUpdateRequestType
	NodeRegisterRequestType
	NodeUpdateStatusRequestType
	NodeDeregisterRequestType
	AllocClientUpdateRequestType
	ApplyPlanResultsRequestType
	NodeUpdateEligibilityRequestType
	AllocStopRequestType
	NodeUpdateDrainRequestType
	AllocUpdateDesiredTransitionRequestType
)

// JobRegisterRequest stores a job and, atomically, the eval it triggers.
type JobRegisterRequest struct {
	Job  *Job
	Eval *Evaluation
	// EnforceIndex and JobModifyIndex implement check-and-set registration.
	EnforceIndex   bool
	JobModifyIndex uint64
	// SubmitTime is set by the leader so the FSM stays deterministic.
	SubmitTime int64
}

// JobDeregisterRequest stops (or purges) a job and stores the eval it triggers.
type JobDeregisterRequest struct {
	Namespace string
	JobID     string
	Purge     bool
	Eval      *Evaluation
}

// EvalUpdateRequest upserts evaluations.
type EvalUpdateRequest struct {
	Evals     []*Evaluation
	EvalToken string
}

// NodeRegisterRequest upserts a node.
type NodeRegisterRequest struct {
	Node *Node
}

// NodeUpdateStatusRequest changes a node's status, plus evals it triggers.
type NodeUpdateStatusRequest struct {
	NodeID    string
	Status    string
	UpdatedAt int64
	Evals     []*Evaluation
	// Allocs are client-status changes the leader decides with the status
	// ("unknown" when a node with disconnect-tolerant allocations goes
	// silent, "running" when it returns). Only ID, ClientStatus and
	// ClientDescription are used.
	Allocs []*Allocation
}

// NodeUpdateEligibilityRequest changes a node's scheduling eligibility.
type NodeUpdateEligibilityRequest struct {
	NodeID      string
	Eligibility string
	UpdatedAt   int64
}

// NodeDeregisterRequest removes a node.
type NodeDeregisterRequest struct {
	NodeID string
}

// AllocClientUpdateRequest carries client-reported allocation status, plus
// evals for allocations that failed and may need replacing.
type AllocClientUpdateRequest struct {
	Allocs []*Allocation
	Evals  []*Evaluation
	// UpdatedAt is stamped by the leader.
	UpdatedAt int64
}

// ApplyPlanResultsRequest commits a checked plan.
type ApplyPlanResultsRequest struct {
	Job *Job
	// AllocsUpdated are placements and in-place updates.
	AllocsUpdated []*Allocation
	// AllocsStopped are stops (only status fields are applied).
	AllocsStopped []*Allocation
	// EvalID is the evaluation that produced the plan.
	EvalID string
	// UpdatedAt is stamped by the leader.
	UpdatedAt int64
}

// NodeRegisterRPCRequest is a client's registration over RPC.
type NodeRegisterRPCRequest struct {
	Node *Node
}

// NodeHeartbeatRequest is a client's heartbeat over RPC.
type NodeHeartbeatRequest struct {
	NodeID string
}

// NodeAllocsRequest is a client's blocking query for its allocations.
type NodeAllocsRequest struct {
	NodeID   string
	MinIndex uint64
	// MaxWait bounds how long the server blocks, in nanoseconds.
	MaxWait int64
}

// BlockingWait is how long the server may hold the query.
func (r *NodeAllocsRequest) BlockingWait() time.Duration { return time.Duration(r.MaxWait) }

// NodeAllocsResponse answers NodeAllocsRequest.
type NodeAllocsResponse struct {
	Allocs []*Allocation
	Index  uint64
}

// AllocUpdateRPCRequest carries a client's allocation status updates.
type AllocUpdateRPCRequest struct {
	Allocs []*Allocation
}

// GenericResponse is an empty RPC reply.
type GenericResponse struct {
	Index uint64
}

// AllocStopRequest stops one allocation (alloc stop) and stores the eval
// that replaces it, in one entry.
type AllocStopRequest struct {
	AllocID string
	Eval    *Evaluation
	// UpdatedAt is stamped by the leader.
	UpdatedAt int64
}

// NodeUpdateDrainRequest starts, updates or ends a node's drain. A nil
// DrainStrategy ends it; the node then stays ineligible unless
// MarkEligible. Event, when set, is appended to the node's events.
type NodeUpdateDrainRequest struct {
	NodeID        string
	DrainStrategy *DrainStrategy
	MarkEligible  bool
	Event         *NodeEvent
	// UpdatedAt is stamped by the leader.
	UpdatedAt int64
}

// AllocUpdateDesiredTransitionRequest sets allocations' desired
// transitions (the drainer's migrate marks) and stores the evals that let
// the scheduler act on them, in one entry.
type AllocUpdateDesiredTransitionRequest struct {
	Allocs map[string]*DesiredTransition
	Evals  []*Evaluation
}
