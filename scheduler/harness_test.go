package scheduler

import (
	"fmt"
	"testing"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/state"
	"github.com/drover-project/drover/structs"
)

// harness is an in-memory server for scheduler tests: a real state store,
// and a Planner that commits plans straight into it (checking that no node
// is over-committed) and records everything it is given.
type harness struct {
	t      testing.TB
	store  *state.StateStore
	index  uint64
	logger hclog.Logger

	plans   []*structs.Plan
	evals   []*structs.Evaluation
	created []*structs.Evaluation

	// rejectPlans makes the first rejectPlans submissions commit nothing
	// and ask for a refresh, as the plan applier does after a conflict.
	rejectPlans int
	// noApply records plans without committing them (benchmarks).
	noApply bool
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	s, err := state.NewStateStore()
	if err != nil {
		t.Fatalf("new state store: %v", err)
	}
	return &harness{t: t, store: s, index: 1000, logger: hclog.NewNullLogger()}
}

func (h *harness) nextIndex() uint64 {
	h.index++
	return h.index
}

// SubmitPlan implements Planner.
func (h *harness) SubmitPlan(plan *structs.Plan) (*structs.PlanResult, State, error) {
	h.plans = append(h.plans, plan)
	if h.rejectPlans > 0 {
		h.rejectPlans--
		return &structs.PlanResult{RefreshIndex: h.store.LatestIndex()}, h.store.Snapshot(), nil
	}
	result := &structs.PlanResult{NodeUpdate: plan.NodeUpdate, NodeAllocation: plan.NodeAllocation}
	if h.noApply {
		return result, nil, nil
	}
	req := &structs.ApplyPlanResultsRequest{Job: plan.Job, EvalID: plan.EvalID, UpdatedAt: 1}
	for _, allocs := range plan.NodeUpdate {
		req.AllocsStopped = append(req.AllocsStopped, allocs...)
	}
	for _, allocs := range plan.NodeAllocation {
		req.AllocsUpdated = append(req.AllocsUpdated, allocs...)
	}
	idx := h.nextIndex()
	if err := h.store.UpsertPlanResults(idx, req); err != nil {
		return nil, nil, fmt.Errorf("applying plan: %w", err)
	}
	for nodeID := range plan.NodeAllocation {
		h.assertNodeFits(nodeID)
	}
	result.AllocIndex = idx
	return result, nil, nil
}

// assertNodeFits fails the test if the node's live allocations exceed its
// capacity.
func (h *harness) assertNodeFits(nodeID string) {
	h.t.Helper()
	node, err := h.store.NodeByID(nil, nodeID)
	if err != nil || node == nil {
		h.t.Fatalf("plan placed on unknown node %s (err %v)", nodeID, err)
	}
	allocs, err := h.store.AllocsByNode(nil, nodeID)
	if err != nil {
		h.t.Fatalf("allocs by node: %v", err)
	}
	var used structs.ComparableResources
	for _, a := range allocs {
		if a.UsesResources() {
			used.Add(a.AllocatedResources.Comparable())
		}
	}
	if ok, dim := node.Capacity().Superset(used); !ok {
		h.t.Fatalf("node %s over-committed on %s: used %+v, capacity %+v", nodeID, dim, used, node.Capacity())
	}
}

// UpdateEval implements Planner.
func (h *harness) UpdateEval(eval *structs.Evaluation) error {
	h.evals = append(h.evals, eval)
	return h.store.UpsertEvals(h.nextIndex(), []*structs.Evaluation{eval})
}

// CreateEval implements Planner.
func (h *harness) CreateEval(eval *structs.Evaluation) error {
	h.created = append(h.created, eval)
	return h.store.UpsertEvals(h.nextIndex(), []*structs.Evaluation{eval})
}

// process runs the scheduler for eval's type over the store.
func (h *harness) process(eval *structs.Evaluation) {
	h.t.Helper()
	sched, err := New(eval.Type, h.logger, h.store, h)
	if err != nil {
		h.t.Fatalf("new scheduler: %v", err)
	}
	if err := sched.Process(eval); err != nil {
		h.t.Fatalf("process: %v", err)
	}
}

// lastEval returns the final form of the last processed evaluation.
func (h *harness) lastEval() *structs.Evaluation {
	h.t.Helper()
	if len(h.evals) == 0 {
		h.t.Fatalf("no evaluation was updated")
	}
	return h.evals[len(h.evals)-1]
}

// lastPlan returns the last submitted plan.
func (h *harness) lastPlan() *structs.Plan {
	h.t.Helper()
	if len(h.plans) == 0 {
		h.t.Fatalf("no plan was submitted")
	}
	return h.plans[len(h.plans)-1]
}
