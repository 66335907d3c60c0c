package structs

// Evaluation statuses.
const (
	EvalStatusBlocked   = "blocked"
	EvalStatusPending   = "pending"
	EvalStatusComplete  = "complete"
	EvalStatusFailed    = "failed"
	EvalStatusCancelled = "canceled"
)

// Evaluation triggers.
const (
	EvalTriggerJobRegister    = "job-register"
	EvalTriggerJobDeregister  = "job-deregister"
	EvalTriggerNodeUpdate     = "node-update"
	EvalTriggerAllocStop      = "alloc-stop"
	EvalTriggerRetryFailed    = "alloc-failure"
	EvalTriggerQueuedAllocs   = "queued-allocs"
	EvalTriggerMaxPlans       = "max-plan-attempts"
	EvalTriggerFailedFollowUp = "failed-follow-up"
	EvalTriggerNodeDrain      = "node-drain"
	EvalTriggerReconnect      = "reconnect"
)

// Evaluation asks the scheduler to reconcile one job with the cluster.
type Evaluation struct {
	ID                string
	Namespace         string
	Priority          int
	Type              string
	TriggeredBy       string
	JobID             string
	JobModifyIndex    uint64
	NodeID            string
	NodeModifyIndex   uint64
	Status            string
	StatusDescription string
	NextEval          string
	PreviousEval      string
	BlockedEval       string
	// FailedTGAllocs explains, per task group, why placements failed.
	FailedTGAllocs map[string]*AllocMetric
	// QueuedAllocations counts placements still waiting, per task group.
	QueuedAllocations map[string]int
	SnapshotIndex     uint64
	CreateIndex       uint64
	ModifyIndex       uint64
	CreateTime        int64
	ModifyTime        int64
}

// Copy returns a copy of the evaluation with its own maps.
func (e *Evaluation) Copy() *Evaluation {
	if e == nil {
		return nil
	}
	c := *e
	if e.FailedTGAllocs != nil {
		c.FailedTGAllocs = make(map[string]*AllocMetric, len(e.FailedTGAllocs))
		for k, v := range e.FailedTGAllocs {
			m := *v
			c.FailedTGAllocs[k] = &m
		}
	}
	if e.QueuedAllocations != nil {
		c.QueuedAllocations = make(map[string]int, len(e.QueuedAllocations))
		for k, v := range e.QueuedAllocations {
			c.QueuedAllocations[k] = v
		}
	}
	return &c
}

// TerminalStatus reports whether the evaluation is finished.
func (e *Evaluation) TerminalStatus() bool {
	switch e.Status {
	case EvalStatusComplete, EvalStatusFailed, EvalStatusCancelled:
		return true
	}
	return false
}

// ShouldEnqueue reports whether the eval belongs in the eval broker.
func (e *Evaluation) ShouldEnqueue() bool { return e.Status == EvalStatusPending }

// ShouldBlock reports whether the eval waits for capacity.
func (e *Evaluation) ShouldBlock() bool { return e.Status == EvalStatusBlocked }
