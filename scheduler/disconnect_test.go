package scheduler

import (
	"strings"
	"testing"
	"time"

	"github.com/drover-project/drover/structs"
)

// disconnectJob returns a service job of count 1 whose group tolerates a
// disconnection for a minute, replacing or not, with reconcile rule.
func disconnectJob(replace bool, rule string) *structs.Job {
	job := mockJob()
	job.TaskGroups[0].Count = 1
	job.TaskGroups[0].Disconnect = &structs.DisconnectStrategy{LostAfter: time.Minute, Replace: &replace, Reconcile: rule}
	return job
}

// setNodeStatus changes n's status in the harness's state.
func (h *harness) setNodeStatus(n *structs.Node, status string) {
	h.t.Helper()
	if err := h.store.UpdateNodeStatus(h.nextIndex(), n.ID, status, 1, nil); err != nil {
		h.t.Fatalf("node status: %v", err)
	}
}

// disconnected sets up job with one allocation on a node that is then
// disconnected (the allocation unknown), and a healthy spare node.
func disconnected(h *harness, job *structs.Job) (job2 *structs.Job, orig *structs.Allocation, gone, spare *structs.Node) {
	gone, spare = mockNode(), mockNode()
	h.addNodes(gone, spare)
	job = h.upsertJob(job)
	orig = mockAlloc(job, gone, 0)
	orig.ClientStatus = structs.AllocClientStatusUnknown
	h.addAllocs(orig)
	h.setNodeStatus(gone, structs.NodeStatusDisconnected)
	return job, orig, gone, spare
}

func TestSched_DisconnectedWithoutReplaceRidesItOut(t *testing.T) {
	h := newHarness(t)
	job, _, _, _ := disconnected(h, disconnectJob(false, ""))
	h.process(evalFor(job))
	if len(h.plans) != 0 {
		t.Fatalf("unknown alloc of a replace=false group must be left alone; plan %+v", h.lastPlan())
	}
	if e := h.lastEval(); e.Status != structs.EvalStatusComplete {
		t.Fatalf("eval %s", e.Status)
	}
}

func TestSched_DisconnectedWithReplacePlacesOnce(t *testing.T) {
	h := newHarness(t)
	job, orig, _, spare := disconnected(h, disconnectJob(true, ""))
	h.process(evalFor(job))
	p := h.lastPlan()
	got := placed(p)
	if len(stopped(p)) != 0 || len(got) != 1 {
		t.Fatalf("stopped %d placed %d, want 0 and 1", len(stopped(p)), len(got))
	}
	if got[0].NodeID != spare.ID || got[0].PreviousAllocation != orig.ID || got[0].Name != orig.Name {
		t.Fatalf("replacement %+v", got[0])
	}
	// Still disconnected: nothing more to do.
	plans := len(h.plans)
	h.process(evalFor(job))
	if len(h.plans) != plans {
		t.Fatalf("second pass planned again: placed %v stopped %v", names(placed(h.lastPlan())), names(stopped(h.lastPlan())))
	}
}

func TestSched_DisconnectedNodeWithoutDisconnectBlockIsLost(t *testing.T) {
	h := newHarness(t)
	gone, spare := mockNode(), mockNode()
	h.addNodes(gone, spare)
	job := mockJob()
	job.TaskGroups[0].Count = 1
	job = h.upsertJob(job)
	a := mockAlloc(job, gone, 0)
	h.addAllocs(a)
	h.setNodeStatus(gone, structs.NodeStatusDisconnected)
	h.process(evalFor(job))
	stops, got := stopped(h.lastPlan()), placed(h.lastPlan())
	if len(stops) != 1 || stops[0].ClientStatus != structs.AllocClientStatusLost || len(got) != 1 || got[0].NodeID != spare.ID {
		t.Fatalf("stops %+v placed %d", stops, len(got))
	}
}

func TestSched_DisconnectedNodeDownStopsOriginalOnly(t *testing.T) {
	h := newHarness(t)
	job, orig, gone, _ := disconnected(h, disconnectJob(true, ""))
	h.process(evalFor(job)) // places the replacement
	h.setNodeStatus(gone, structs.NodeStatusDown)
	h.process(evalFor(job))
	p := h.lastPlan()
	stops := stopped(p)
	if len(placed(p)) != 0 || len(stops) != 1 || stops[0].ID != orig.ID || stops[0].ClientStatus != structs.AllocClientStatusLost {
		t.Fatalf("placed %d, stops %+v; want only the original stopped as lost", len(placed(p)), stops)
	}
	if live := h.liveAllocs(job); len(live) != 1 || live[0].ID == orig.ID {
		t.Fatalf("live %v", names(live))
	}
}

// TestSched_ReconnectReconcileRules: the node comes back with the original
// running beside its replacement; each rule keeps one.
func TestSched_ReconnectReconcileRules(t *testing.T) {
	early, late := time.Unix(1000, 0), time.Unix(2000, 0)
	cases := []struct {
		rule string
		// prepare adjusts the original and the replacement before the
		// reconnect evaluation.
		prepare  func(orig, repl *structs.Allocation)
		keepOrig bool
	}{
		{structs.ReconcileKeepOriginal, nil, true},
		{structs.ReconcileKeepReplacement, nil, false},
		{structs.ReconcileLongestRunning, func(o, r *structs.Allocation) {
			o.TaskStates = map[string]*structs.TaskState{"web": {State: structs.TaskStateRunning, StartedAt: early}}
			r.TaskStates = map[string]*structs.TaskState{"web": {State: structs.TaskStateRunning, StartedAt: late}}
		}, true},
		{structs.ReconcileLongestRunning + " (original restarted)", func(o, r *structs.Allocation) {
			o.TaskStates = map[string]*structs.TaskState{"web": {State: structs.TaskStateRunning, StartedAt: late}}
			r.TaskStates = map[string]*structs.TaskState{"web": {State: structs.TaskStateRunning, StartedAt: early}}
		}, false},
		{structs.ReconcileBestScore, func(o, r *structs.Allocation) {
			o.Metrics = &structs.AllocMetric{Scores: map[string]float64{o.NodeID + ".binpack": 0.2}}
			r.Metrics = &structs.AllocMetric{Scores: map[string]float64{r.NodeID + ".binpack": 0.7}}
		}, false},
		{structs.ReconcileBestScore + " (tie)", func(o, r *structs.Allocation) {
			o.Metrics = &structs.AllocMetric{Scores: map[string]float64{o.NodeID + ".binpack": 0.5}}
			r.Metrics = &structs.AllocMetric{Scores: map[string]float64{r.NodeID + ".binpack": 0.5}}
		}, true},
	}
	for _, tc := range cases {
		t.Run(tc.rule, func(t *testing.T) {
			rule, _, _ := strings.Cut(tc.rule, " ")
			h := newHarness(t)
			job, orig, gone, _ := disconnected(h, disconnectJob(true, rule))
			h.process(evalFor(job))
			repl := placed(h.lastPlan())[0]

			// The node is back: the leader marks the original running.
			h.setNodeStatus(gone, structs.NodeStatusReady)
			o, _ := h.store.AllocByID(nil, orig.ID)
			r, _ := h.store.AllocByID(nil, repl.ID)
			o, r = o.Copy(), r.Copy()
			o.ClientStatus, r.ClientStatus = structs.AllocClientStatusRunning, structs.AllocClientStatusRunning
			if tc.prepare != nil {
				tc.prepare(o, r)
			}
			h.addAllocs(o, r)

			eval := evalFor(job)
			eval.TriggeredBy = structs.EvalTriggerReconnect
			h.process(eval)
			p := h.lastPlan()
			stops := stopped(p)
			if len(placed(p)) != 0 || len(stops) != 1 {
				t.Fatalf("placed %d stopped %d, want 0 and 1", len(placed(p)), len(stops))
			}
			wantStopped := repl.ID
			if !tc.keepOrig {
				wantStopped = orig.ID
			}
			if stops[0].ID != wantStopped || stops[0].DesiredDescription != descReconnected {
				t.Fatalf("stopped %s (%q), want %s", stops[0].ID, stops[0].DesiredDescription, wantStopped)
			}
			plans := len(h.plans)
			h.process(evalFor(job))
			if len(h.plans) != plans {
				t.Fatal("reconciled job planned again")
			}
		})
	}
}
