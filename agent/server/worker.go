package server

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/scheduler"
	"github.com/drover-project/drover/structs"
)

// schedulerTypes are the eval types workers dequeue.
var schedulerTypes = []string{structs.JobTypeService, structs.JobTypeBatch}

// worker dequeues evals, runs the scheduler on a state snapshot at least as
// new as the eval, and implements scheduler.Planner for it.
type worker struct {
	srv    *Server
	logger hclog.Logger
	ctx    context.Context

	// Set per eval.
	eval  *structs.Evaluation
	token string
}

func (w *worker) run(ctx context.Context) {
	w.ctx = ctx
	for {
		eval, token, err := w.srv.broker.Dequeue(ctx, schedulerTypes)
		if err != nil {
			return // leadership lost or shutting down
		}
		w.eval, w.token = eval, token
		if err := w.process(eval); err != nil {
			w.logger.Error("eval failed; will retry", "eval", eval.ID, "job", eval.JobID, "error", err)
			_ = w.srv.broker.Nack(eval.ID, token)
			continue
		}
		if err := w.srv.broker.Ack(eval.ID, token); err != nil {
			w.logger.Warn("eval ack failed", "eval", eval.ID, "error", err)
		}
	}
}

func (w *worker) process(eval *structs.Evaluation) error {
	ctx, cancel := context.WithTimeout(w.ctx, 5*time.Second)
	defer cancel()
	snap, err := w.srv.fsm.State().SnapshotMinIndex(ctx, eval.ModifyIndex)
	if err != nil {
		return err
	}
	sched, err := scheduler.New(eval.Type, w.logger, snap, w)
	if err != nil {
		return err
	}
	return sched.Process(eval)
}

// SubmitPlan implements scheduler.Planner.
func (w *worker) SubmitPlan(plan *structs.Plan) (*structs.PlanResult, scheduler.State, error) {
	plan.EvalToken = w.token
	result, err := w.srv.planQueue.Submit(w.ctx, plan)
	if err != nil {
		return nil, nil, fmt.Errorf("submitting plan: %w", err)
	}
	if result.RefreshIndex == 0 {
		return result, nil, nil
	}
	ctx, cancel := context.WithTimeout(w.ctx, 5*time.Second)
	defer cancel()
	snap, err := w.srv.fsm.State().SnapshotMinIndex(ctx, result.RefreshIndex)
	if err != nil {
		return nil, nil, err
	}
	return result, snap, nil
}

// UpdateEval implements scheduler.Planner.
func (w *worker) UpdateEval(eval *structs.Evaluation) error {
	return w.writeEval(eval)
}

// CreateEval implements scheduler.Planner.
func (w *worker) CreateEval(eval *structs.Evaluation) error {
	if eval.CreateTime == 0 {
		eval.CreateTime = time.Now().UnixNano()
	}
	return w.writeEval(eval)
}

func (w *worker) writeEval(eval *structs.Evaluation) error {
	eval.ModifyTime = time.Now().UnixNano()
	_, err := w.srv.raftApply(structs.EvalUpdateRequestType, &structs.EvalUpdateRequest{
		Evals: []*structs.Evaluation{eval}, EvalToken: w.token})
	return err
}
