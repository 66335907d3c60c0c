package scheduler

import (
	"fmt"

	"github.com/hashicorp/go-hclog"
	memdb "github.com/hashicorp/go-memdb"

	"github.com/drover-project/drover/structs"
)

// State is the read-only view the scheduler works from; *state.StateStore
// and *state.StateSnapshot satisfy it. Objects it returns are shared with the
// store and are never modified by the scheduler.
type State interface {
	JobByID(ws memdb.WatchSet, namespace, id string) (*structs.Job, error)
	Nodes(ws memdb.WatchSet) ([]*structs.Node, error)
	NodeByID(ws memdb.WatchSet, id string) (*structs.Node, error)
	AllocsByJob(ws memdb.WatchSet, namespace, jobID string) ([]*structs.Allocation, error)
	AllocsByNode(ws memdb.WatchSet, nodeID string) ([]*structs.Allocation, error)
	LatestIndex() uint64
}

// Planner is how the scheduler acts: the server implements it.
type Planner interface {
	// SubmitPlan hands a plan to the plan applier and waits. If only part of
	// the plan was committed (result.RefreshIndex != 0), newState is a state
	// at least that fresh to retry with; otherwise nil.
	SubmitPlan(plan *structs.Plan) (result *structs.PlanResult, newState State, err error)
	// UpdateEval stores the final form of the evaluation being processed.
	UpdateEval(eval *structs.Evaluation) error
	// CreateEval stores a new evaluation (e.g. a blocked one).
	CreateEval(eval *structs.Evaluation) error
}

// Scheduler processes one evaluation at a time. Process returns an error
// only when the evaluation could not be handled at all (bad input, state or
// planner failure); the caller may then retry it. Placement failures are not
// errors: they are recorded on the evaluation.
type Scheduler interface {
	Process(eval *structs.Evaluation) error
}

// New returns the scheduler for an evaluation type ("service" or "batch";
// others: error).
func New(evalType string, logger hclog.Logger, state State, planner Planner) (Scheduler, error) {
	if state == nil || planner == nil {
		return nil, fmt.Errorf("scheduler %q: state and planner are required", evalType)
	}
	if logger == nil {
		logger = hclog.NewNullLogger()
	}
	switch evalType {
	case structs.JobTypeService, structs.JobTypeBatch:
		return &genericScheduler{
			jobType: evalType,
			logger:  logger.Named(evalType + "_sched"),
			state:   state,
			planner: planner,
		}, nil
	default:
		return nil, fmt.Errorf("no scheduler for evaluation type %q", evalType)
	}
}
