package scheduler

import (
	"errors"
	"fmt"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/structs"
)

// maxPlanAttempts bounds how often one evaluation re-plans after the plan
// applier committed only part of its plan.
const maxPlanAttempts = 5

// Descriptions the scheduler gives the allocations it stops.
const (
	descNotNeeded   = "alloc not needed due to job update"
	descJobStopped  = "alloc is stopped because the job was stopped"
	descUpdating    = "alloc is being updated due to job update"
	descLost        = "alloc is lost since its node is down"
	descRescheduled = "alloc was rescheduled because it failed"
	descMigrating   = "alloc is being migrated"
	descReconnected = "alloc not needed: its node reconnected and the other copy was kept"
)

// genericScheduler handles service and batch jobs. It keeps no state between
// calls to Process.
type genericScheduler struct {
	jobType string
	logger  hclog.Logger
	state   State
	planner Planner
}

// Process reconciles eval's job with its allocations, submits the resulting
// plan (re-planning on fresher state when only part of it was committed) and
// stores the final evaluation through the planner.
func (s *genericScheduler) Process(eval *structs.Evaluation) error {
	if eval == nil {
		return errors.New("process: nil evaluation")
	}
	if eval.Type != s.jobType {
		return fmt.Errorf("%s scheduler cannot process eval %s of type %q", s.jobType, eval.ID, eval.Type)
	}
	eval = eval.Copy()
	logger := s.logger.With("eval_id", eval.ID, "job_id", eval.JobID)
	st := s.state
	blockedID := ""
	var last *outcome
	for try := 1; try <= maxPlanAttempts; try++ {
		out, err := s.attempt(st, eval, logger)
		if err != nil {
			return fmt.Errorf("eval %s: %w", eval.ID, err)
		}
		last = out
		if len(out.failed) > 0 && blockedID == "" {
			if blockedID, err = s.createBlocked(eval, structs.EvalTriggerQueuedAllocs); err != nil {
				return err
			}
		}
		if out.plan.IsNoOp() {
			return s.finish(eval, out, blockedID, structs.EvalStatusComplete, "")
		}
		result, fresh, err := s.planner.SubmitPlan(out.plan)
		if err != nil {
			return fmt.Errorf("eval %s: submitting plan: %w", eval.ID, err)
		}
		if result == nil {
			return fmt.Errorf("eval %s: planner returned no plan result", eval.ID)
		}
		if result.RefreshIndex == 0 {
			return s.finish(eval, out, blockedID, structs.EvalStatusComplete, "")
		}
		if fresh == nil {
			return fmt.Errorf("eval %s: plan partly committed (refresh index %d) but planner gave no fresh state",
				eval.ID, result.RefreshIndex)
		}
		logger.Debug("plan partly committed; re-planning", "attempt", try, "refresh_index", result.RefreshIndex)
		st = fresh
	}
	// Out of attempts: leave the work to a blocked eval so it is retried
	// when the cluster changes, as Nomad does.
	if blockedID == "" {
		var err error
		if blockedID, err = s.createBlocked(eval, structs.EvalTriggerMaxPlans); err != nil {
			return err
		}
	}
	logger.Warn("plan attempts exhausted", "attempts", maxPlanAttempts)
	return s.finish(eval, last, blockedID, structs.EvalStatusFailed,
		fmt.Sprintf("maximum attempts reached (%d)", maxPlanAttempts))
}

// outcome is what one planning attempt produced.
type outcome struct {
	plan *structs.Plan
	// failed holds, per task group, the metric of the first failed placement.
	failed map[string]*structs.AllocMetric
	// queued counts placements not made, per task group of the job.
	queued map[string]int
	// snapshotIndex is the index of the state the attempt planned from.
	snapshotIndex uint64
}
