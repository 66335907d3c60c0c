package scheduler

import (
	"fmt"
	"testing"

	"github.com/drover-project/drover/structs"
)

func TestServiceSched_LostAllocsReplaced(t *testing.T) {
	cases := []struct {
		name string
		lose func(h *harness, n *structs.Node)
	}{
		{"node down", func(h *harness, n *structs.Node) {
			if err := h.store.UpdateNodeStatus(h.nextIndex(), n.ID, structs.NodeStatusDown, 1, nil); err != nil {
				t.Fatal(err)
			}
		}},
		{"node gone", func(h *harness, n *structs.Node) {
			if err := h.store.DeleteNode(h.nextIndex(), n.ID); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			bad, good := mockNode(), mockNode()
			h.addNodes(good)
			job, allocs := setupRunning(h, 2, bad)
			tc.lose(h, bad)
			eval := evalFor(job)
			eval.TriggeredBy = structs.EvalTriggerNodeUpdate
			h.process(eval)

			stops, got := stopped(h.lastPlan()), placed(h.lastPlan())
			if len(stops) != 2 || len(got) != 2 {
				t.Fatalf("stopped %d placed %d, want 2 and 2", len(stops), len(got))
			}
			for i := range stops {
				if stops[i].ClientStatus != structs.AllocClientStatusLost || stops[i].DesiredDescription != descLost {
					t.Fatalf("lost stop %+v", stops[i])
				}
				if got[i].NodeID != good.ID || got[i].Name != allocs[i].Name || got[i].PreviousAllocation != allocs[i].ID {
					t.Fatalf("replacement %+v for %s", got[i], allocs[i].ID)
				}
			}
		})
	}
}

func TestServiceSched_FailedAllocReplaced(t *testing.T) {
	h := newHarness(t)
	job, allocs := setupRunning(h, 2, mockNode())
	failed := allocs[1].Copy()
	failed.ClientStatus = structs.AllocClientStatusFailed
	h.addAllocs(failed)
	eval := evalFor(job)
	eval.TriggeredBy = structs.EvalTriggerRetryFailed
	h.process(eval)

	stops, got := stopped(h.lastPlan()), placed(h.lastPlan())
	if len(stops) != 1 || stops[0].ID != failed.ID || stops[0].DesiredDescription != descRescheduled {
		t.Fatalf("stops %+v", stops)
	}
	if len(got) != 1 || got[0].Name != failed.Name || got[0].PreviousAllocation != failed.ID {
		t.Fatalf("placements %+v", got)
	}
	// Re-running the same eval finds nothing to do: the failed alloc is
	// stopped and its replacement runs.
	before := len(h.plans)
	h.process(evalFor(job))
	if len(h.plans) != before {
		t.Fatalf("second pass submitted a plan: %v", names(placed(h.lastPlan())))
	}
}

func TestBatchSched(t *testing.T) {
	cases := []struct {
		name string
		// status and previous of alloc [0]; alloc [1] is running.
		status, previous string
		wantReplace      bool
	}{
		{"complete is never replaced", structs.AllocClientStatusComplete, "", false},
		{"failed is replaced once", structs.AllocClientStatusFailed, "", true},
		{"failed replacement stays failed", structs.AllocClientStatusFailed, "some-earlier-alloc", false},
		{"lost by client is placed again", structs.AllocClientStatusLost, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			node := mockNode()
			h.addNodes(node)
			job := h.upsertJob(mockBatchJob())
			a0, a1 := mockAlloc(job, node, 0), mockAlloc(job, node, 1)
			a0.ClientStatus, a0.PreviousAllocation = tc.status, tc.previous
			h.addAllocs(a0, a1)
			h.process(evalFor(job))

			if !tc.wantReplace {
				if len(h.plans) != 0 {
					t.Fatalf("unexpected plan: placed %v stopped %v", names(placed(h.plans[0])), names(stopped(h.plans[0])))
				}
				if final := h.lastEval(); final.Status != structs.EvalStatusComplete || final.QueuedAllocations["web"] != 0 {
					t.Fatalf("final eval %+v", final)
				}
				return
			}
			got := placed(h.lastPlan())
			if len(got) != 1 || got[0].Name != a0.Name {
				t.Fatalf("placed %v, want %s", names(got), a0.Name)
			}
			wantPrev := ""
			if tc.status == structs.AllocClientStatusFailed {
				wantPrev = a0.ID
			}
			if got[0].PreviousAllocation != wantPrev {
				t.Fatalf("previous %q, want %q", got[0].PreviousAllocation, wantPrev)
			}
		})
	}
}

// TestBatchSched_CompleteSurvivesUpdate checks that a job update does not
// rerun batch work that already finished.
func TestBatchSched_CompleteSurvivesUpdate(t *testing.T) {
	h := newHarness(t)
	node := mockNode()
	h.addNodes(node)
	job := h.upsertJob(mockBatchJob())
	done := mockAlloc(job, node, 0)
	done.ClientStatus = structs.AllocClientStatusComplete
	running := mockAlloc(job, node, 1)
	h.addAllocs(done, running)
	update := job.Copy()
	update.TaskGroups[0].Tasks[0].Config["run_for"] = "1s"
	update = h.upsertJob(update)
	h.process(evalFor(update))

	stops, got := stopped(h.lastPlan()), placed(h.lastPlan())
	if fmt.Sprint(names(stops)) != fmt.Sprint([]string{running.Name}) ||
		fmt.Sprint(names(got)) != fmt.Sprint([]string{running.Name}) {
		t.Fatalf("stopped %v placed %v, want only %s replaced", names(stops), names(got), running.Name)
	}
}
