package scheduler

import (
	"testing"
	"time"

	"github.com/drover-project/drover/structs"
)

// drainNode starts a drain of n in the harness's state.
func (h *harness) drainNode(n *structs.Node) {
	h.t.Helper()
	req := &structs.NodeUpdateDrainRequest{NodeID: n.ID,
		DrainStrategy: structs.NewDrainStrategy(structs.DrainSpec{Deadline: time.Hour}, time.Unix(1, 0)), UpdatedAt: 1}
	if err := h.store.UpdateNodeDrain(h.nextIndex(), req); err != nil {
		h.t.Fatalf("drain node: %v", err)
	}
}

// markMigrate sets DesiredTransition.Migrate on allocs in state, as the
// drainer does.
func (h *harness) markMigrate(allocs ...*structs.Allocation) {
	h.t.Helper()
	yes := true
	marks := make(map[string]*structs.DesiredTransition)
	for _, a := range allocs {
		marks[a.ID] = &structs.DesiredTransition{Migrate: &yes}
	}
	if err := h.store.UpdateAllocsDesiredTransitions(h.nextIndex(), marks, nil); err != nil {
		h.t.Fatalf("mark migrate: %v", err)
	}
}

func TestSched_MigratingAllocsReplacedElsewhere(t *testing.T) {
	for _, batch := range []bool{false, true} {
		name := "service"
		if batch {
			name = "batch"
		}
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			draining, other := mockNode(), mockNode()
			h.addNodes(draining, other)
			job := mockJob()
			if batch {
				job = mockBatchJob()
			}
			job.TaskGroups[0].Count = 3
			job = h.upsertJob(job)
			var allocs []*structs.Allocation
			for i := 0; i < 3; i++ {
				allocs = append(allocs, mockAlloc(job, draining, i))
			}
			h.addAllocs(allocs...)
			h.drainNode(draining)
			h.markMigrate(allocs[0], allocs[1])

			eval := evalFor(job)
			eval.TriggeredBy = structs.EvalTriggerNodeDrain
			h.process(eval)

			stops, got := stopped(h.lastPlan()), placed(h.lastPlan())
			if len(stops) != 2 || len(got) != 2 {
				t.Fatalf("stopped %d placed %d, want 2 and 2", len(stops), len(got))
			}
			for i := range stops {
				if stops[i].ID != allocs[i].ID || stops[i].DesiredDescription != descMigrating || stops[i].ClientStatus == structs.AllocClientStatusLost {
					t.Fatalf("stop %d: %+v", i, stops[i])
				}
				if got[i].NodeID != other.ID || got[i].Name != allocs[i].Name || got[i].PreviousAllocation != allocs[i].ID {
					t.Fatalf("replacement %d: node %s name %s prev %s", i, got[i].NodeID, got[i].Name, got[i].PreviousAllocation)
				}
			}
			// The unmarked allocation keeps running on the draining node.
			live := h.liveAllocs(job)
			if len(live) != 3 {
				t.Fatalf("%d live allocs, want 3", len(live))
			}
			onDraining := 0
			for _, a := range live {
				if a.NodeID == draining.ID {
					onDraining++
				}
			}
			if onDraining != 1 {
				t.Fatalf("%d allocs left on the draining node, want 1", onDraining)
			}

			// Processing again changes nothing.
			plans := len(h.plans)
			h.process(evalFor(job))
			if len(h.plans) != plans {
				t.Fatalf("second pass submitted a plan: %+v", h.lastPlan())
			}
		})
	}
}

// TestSched_MigrationNeverLandsOnIneligibleNodes: with only draining or
// ineligible nodes left, the migrating allocation is stopped (the drain
// asked for it) and its replacement waits in a blocked eval.
func TestSched_MigrationNeverLandsOnIneligibleNodes(t *testing.T) {
	h := newHarness(t)
	draining, ineligible := mockNode(), mockNode()
	h.addNodes(draining, ineligible)
	if err := h.store.UpdateNodeEligibility(h.nextIndex(), ineligible.ID, structs.NodeSchedulingIneligible, 1); err != nil {
		t.Fatal(err)
	}
	job := mockJob()
	job.TaskGroups[0].Count = 1
	job = h.upsertJob(job)
	a := mockAlloc(job, draining, 0)
	h.addAllocs(a)
	h.drainNode(draining)
	h.markMigrate(a)

	h.process(evalFor(job))
	if got := placed(h.lastPlan()); len(got) != 0 {
		t.Fatalf("placed on %s", got[0].NodeID)
	}
	if stops := stopped(h.lastPlan()); len(stops) != 1 || stops[0].ID != a.ID {
		t.Fatalf("stops %v", names(stops))
	}
	if len(h.created) != 1 || h.created[0].Status != structs.EvalStatusBlocked {
		t.Fatalf("want one blocked eval, got %+v", h.created)
	}
}
