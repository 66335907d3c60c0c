package server

import (
	"context"
	"fmt"
	"time"

	"github.com/drover-project/drover/structs"
)

// planApplier is the leader's single consumer of the plan queue. Because
// it is the only writer of placements and evaluates each plan against the
// state left by the previous one, no node is ever over-committed.
func (s *Server) planApplier(ctx context.Context) {
	ch := s.planQueue.channel()
	if ch == nil {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case p := <-ch:
			res, err := s.applyPlan(p.plan)
			p.result <- planAnswer{result: res, err: err}
		}
	}
}

func (s *Server) applyPlan(plan *structs.Plan) (*structs.PlanResult, error) {
	if !s.broker.Outstanding(plan.EvalID, plan.EvalToken) {
		return nil, fmt.Errorf("plan for eval %s: %w", plan.EvalID, errNotOutstanding)
	}
	snap := s.fsm.State().Snapshot()
	result, err := evaluatePlan(snap, plan)
	if err != nil {
		return nil, fmt.Errorf("evaluating plan for eval %s: %w", plan.EvalID, err)
	}
	if result.IsNoOp() {
		return result, nil
	}
	req := &structs.ApplyPlanResultsRequest{
		Job:       plan.Job,
		EvalID:    plan.EvalID,
		UpdatedAt: time.Now().UnixNano(),
	}
	for _, allocs := range result.NodeUpdate {
		req.AllocsStopped = append(req.AllocsStopped, allocs...)
	}
	for _, allocs := range result.NodeAllocation {
		for _, a := range allocs {
			// The job travels once in the request, not once per alloc.
			if a.Job == plan.Job {
				a = a.Copy()
				a.Job = nil
			}
			req.AllocsUpdated = append(req.AllocsUpdated, a)
		}
	}
	index, err := s.raftApply(structs.ApplyPlanResultsRequestType, req)
	if err != nil {
		return nil, fmt.Errorf("committing plan for eval %s: %w", plan.EvalID, err)
	}
	result.AllocIndex = index
	return result, nil
}
