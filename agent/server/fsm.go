package server

import (
	"fmt"
	"io"
	"sync/atomic"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"

	"github.com/drover-project/drover/state"
	"github.com/drover-project/drover/structs"
)

// EvalSink receives evaluations as the FSM commits them. On the leader it is
// the eval broker and blocked-evals tracker; elsewhere it ignores them. It
// is called from the FSM's apply goroutine and must not block.
type EvalSink interface {
	// EvalsCommitted is told of every evaluation written.
	EvalsCommitted(evals []*structs.Evaluation)
	// CapacityChanged is told that a node was added or became usable, or that
	// allocations stopped using resources, so blocked evals may now fit.
	CapacityChanged()
}

// FSM applies committed Raft log entries to the state store. Apply must be
// deterministic: everything random or time-based was fixed by the leader in
// the request before it was logged.
type FSM struct {
	state atomic.Pointer[state.StateStore]
	// applied is the index of the last log entry this FSM applied. Raft's
	// own AppliedIndex moves when an entry is handed to the FSM, before it
	// is applied, so consistent reads wait on this instead.
	applied atomic.Uint64
	sink    EvalSink
	logger  hclog.Logger
}

// applyFn decodes and applies one message type at index.
type applyFn func(f *FSM, buf []byte, index uint64) interface{}

// appliers maps each message type to its apply function. Unknown types are
// an error (never silently skipped): a newer server's log must not be
// half-applied by an older one.
var appliers = map[structs.MessageType]applyFn{
	structs.JobRegisterRequestType:                  (*FSM).applyJobRegister,
	structs.JobDeregisterRequestType:                (*FSM).applyJobDeregister,
	structs.EvalUpdateRequestType:                   (*FSM).applyEvalUpdate,
	structs.NodeRegisterRequestType:                 (*FSM).applyNodeRegister,
	structs.NodeUpdateStatusRequestType:             (*FSM).applyNodeStatus,
	structs.NodeUpdateEligibilityRequestType:        (*FSM).applyNodeEligibility,
	structs.NodeDeregisterRequestType:               (*FSM).applyNodeDeregister,
	structs.AllocClientUpdateRequestType:            (*FSM).applyAllocClientUpdate,
	structs.ApplyPlanResultsRequestType:             (*FSM).applyPlanResults,
	structs.AllocStopRequestType:                    (*FSM).applyAllocStop,
	structs.NodeUpdateDrainRequestType:              (*FSM).applyNodeDrain,
	structs.AllocUpdateDesiredTransitionRequestType: (*FSM).applyAllocDesiredTransition,
}

// NewFSM returns an FSM over an empty state store.
func NewFSM(sink EvalSink, logger hclog.Logger) (*FSM, error) {
	s, err := state.NewStateStore()
	if err != nil {
		return nil, err
	}
	f := &FSM{sink: sink, logger: logger.Named("fsm")}
	f.state.Store(s)
	return f, nil
}

// State returns the current state store.
func (f *FSM) State() *state.StateStore { return f.state.Load() }

// Apply implements raft.FSM. It returns nil or an error.
func (f *FSM) Apply(l *raft.Log) interface{} {
	if len(l.Data) == 0 {
		return fmt.Errorf("raft log %d: empty entry", l.Index)
	}
	t := structs.MessageType(l.Data[0])
	fn, ok := appliers[t]
	if !ok {
		panic(fmt.Sprintf("raft log %d: unknown message type %d; refusing to skip it", l.Index, t))
	}
	defer f.applied.Store(l.Index)
	return fn(f, l.Data[1:], l.Index)
}

// AppliedIndex is the index of the last entry applied to the state.
func (f *FSM) AppliedIndex() uint64 { return f.applied.Load() }

// decode decodes buf into out, panicking on corruption: a log entry that
// cannot be decoded means replicas would diverge.
func decode(buf []byte, out interface{}, index uint64) {
	if err := structs.Decode(buf, out); err != nil {
		panic(fmt.Sprintf("raft log %d: decoding %T: %v", index, out, err))
	}
}

// Snapshot implements raft.FSM: it captures a point-in-time state snapshot;
// Persist (on another goroutine) writes it out.
func (f *FSM) Snapshot() (raft.FSMSnapshot, error) {
	return &fsmSnapshot{snap: f.State().Snapshot()}, nil
}

// Restore implements raft.FSM: it replaces the state with a snapshot's.
func (f *FSM) Restore(r io.ReadCloser) error {
	defer r.Close()
	fresh, err := state.NewStateStore()
	if err != nil {
		return err
	}
	if err := restoreSnapshot(fresh, r); err != nil {
		return err
	}
	old := f.state.Swap(fresh)
	old.Abandon()
	f.applied.Store(max(f.applied.Load(), fresh.LatestIndex()))
	return nil
}
