package scheduler

import (
	"fmt"
	"testing"

	"github.com/drover-project/drover/structs"
)

// setupRunning stores nodes and a job of count n with n running allocs
// spread over the nodes, and returns the stored job and allocs.
func setupRunning(h *harness, n int, nodes ...*structs.Node) (*structs.Job, []*structs.Allocation) {
	h.addNodes(nodes...)
	job := mockJob()
	job.TaskGroups[0].Count = n
	job = h.upsertJob(job)
	var allocs []*structs.Allocation
	for i := 0; i < n; i++ {
		allocs = append(allocs, mockAlloc(job, nodes[i%len(nodes)], i))
	}
	h.addAllocs(allocs...)
	return job, allocs
}

func jobNames(job *structs.Job, idx ...int) []string {
	out := make([]string, len(idx))
	for i, x := range idx {
		out[i] = structs.AllocName(job.ID, "web", x)
	}
	return out
}

func TestServiceSched_Scale(t *testing.T) {
	cases := []struct {
		name        string
		from, to    int
		wantPlaced  []int // new allocations
		wantInPlace []int
		wantStopped []int
	}{
		{"up", 3, 5, []int{3, 4}, []int{0, 1, 2}, nil},
		{"down", 5, 2, nil, []int{0, 1}, []int{2, 3, 4}},
		{"to zero", 2, 0, nil, nil, []int{0, 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			job, allocs := setupRunning(h, tc.from, mockNode(), mockNode(), mockNode())
			existing := make(map[string]bool)
			for _, a := range allocs {
				existing[a.ID] = true
			}
			update := job.Copy()
			update.TaskGroups[0].Count = tc.to
			update = h.upsertJob(update)
			h.process(evalFor(update))

			var fresh, inplace []*structs.Allocation
			for _, a := range placed(h.lastPlan()) {
				if existing[a.ID] {
					inplace = append(inplace, a)
					if a.Job != update {
						t.Fatalf("in-place update %s does not carry the new job", a.Name)
					}
				} else {
					fresh = append(fresh, a)
				}
			}
			stops := stopped(h.lastPlan())
			for _, s := range stops {
				if s.DesiredDescription != descNotNeeded {
					t.Fatalf("stop %s described %q", s.Name, s.DesiredDescription)
				}
			}
			check := func(what string, got []*structs.Allocation, want []int) {
				t.Helper()
				if fmt.Sprint(names(got)) != fmt.Sprint(sortedNames(jobNames(job, want...))) {
					t.Fatalf("%s: got %v, want %v", what, names(got), jobNames(job, want...))
				}
			}
			check("placed", fresh, tc.wantPlaced)
			check("in place", inplace, tc.wantInPlace)
			check("stopped", stops, tc.wantStopped)

			live := h.liveAllocs(update)
			if len(live) != tc.to {
				t.Fatalf("%d live allocs after scaling, want %d", len(live), tc.to)
			}
			for _, a := range live {
				if existing[a.ID] && (a.Job.Version != update.Version || a.ClientStatus != structs.AllocClientStatusRunning) {
					t.Fatalf("in-place alloc %s: job version %d client status %q", a.Name, a.Job.Version, a.ClientStatus)
				}
			}
		})
	}
}

// sortedNames orders names the way placed() and stopped() do.
func sortedNames(in []string) []string {
	allocs := make([]*structs.Allocation, len(in))
	for i, n := range in {
		allocs[i] = &structs.Allocation{Name: n}
	}
	return names(flatten(map[string][]*structs.Allocation{"": allocs}))
}

func TestServiceSched_DestructiveUpdate(t *testing.T) {
	cases := []struct {
		name   string
		change func(*structs.Job)
	}{
		{"task config", func(j *structs.Job) { j.TaskGroups[0].Tasks[0].Config["run_for"] = "20m" }},
		{"resources", func(j *structs.Job) { j.TaskGroups[0].Tasks[0].Resources.CPU = 600 }},
		{"datacenter moved", func(j *structs.Job) { j.Datacenters = []string{"dc2"} }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			dc2 := mockNode()
			dc2.Datacenter = "dc2"
			h.addNodes(dc2)
			job, allocs := setupRunning(h, 2, mockNode())
			update := job.Copy()
			tc.change(update)
			update = h.upsertJob(update)
			h.process(evalFor(update))

			stops, got := stopped(h.lastPlan()), placed(h.lastPlan())
			if len(stops) != 2 || len(got) != 2 {
				t.Fatalf("stopped %d placed %d, want 2 and 2", len(stops), len(got))
			}
			prev := map[string]string{allocs[0].Name: allocs[0].ID, allocs[1].Name: allocs[1].ID}
			for i := range got {
				if stops[i].DesiredDescription != descUpdating || stops[i].DesiredStatus != structs.AllocDesiredStatusStop {
					t.Fatalf("stop %+v", stops[i])
				}
				if got[i].PreviousAllocation != prev[got[i].Name] || got[i].PreviousAllocation == "" {
					t.Fatalf("replacement %s has previous %q, want %q", got[i].Name, got[i].PreviousAllocation, prev[got[i].Name])
				}
			}
		})
	}
}

// TestServiceSched_DestructiveUpdateNoRoom checks that an allocation whose
// replacement cannot be placed is not stopped.
func TestServiceSched_DestructiveUpdateNoRoom(t *testing.T) {
	h := newHarness(t)
	job, _ := setupRunning(h, 1, mockNode())
	update := job.Copy()
	update.TaskGroups[0].Tasks[0].Resources.MemoryMB = 100000
	update = h.upsertJob(update)
	h.process(evalFor(update))
	if len(h.plans) != 0 {
		t.Fatalf("plan submitted: stops %v placements %v", names(stopped(h.plans[0])), names(placed(h.plans[0])))
	}
	if final := h.lastEval(); final.QueuedAllocations["web"] != 1 || final.FailedTGAllocs["web"] == nil {
		t.Fatalf("final eval %+v", final)
	}
	if len(h.liveAllocs(update)) != 1 {
		t.Fatalf("old alloc should still run")
	}
}

func TestServiceSched_JobStopAndPurge(t *testing.T) {
	for _, purge := range []bool{false, true} {
		t.Run(fmt.Sprintf("purge=%v", purge), func(t *testing.T) {
			h := newHarness(t)
			job, allocs := setupRunning(h, 3, mockNode())
			done := allocs[2].Copy()
			done.ClientStatus = structs.AllocClientStatusComplete
			h.addAllocs(done)
			eval := evalFor(job)
			eval.TriggeredBy = structs.EvalTriggerJobDeregister
			want := descJobStopped
			if purge {
				if err := h.store.DeleteJob(h.nextIndex(), job.Namespace, job.ID, nil); err != nil {
					t.Fatal(err)
				}
			} else {
				stop := job.Copy()
				stop.Stop = true
				h.upsertJob(stop)
			}
			h.process(eval)
			stops := stopped(h.lastPlan())
			if fmt.Sprint(names(stops)) != fmt.Sprint(jobNames(job, 0, 1)) || len(placed(h.lastPlan())) != 0 {
				t.Fatalf("stopped %v placed %d", names(stops), len(placed(h.lastPlan())))
			}
			for _, s := range stops {
				if s.DesiredDescription != want {
					t.Fatalf("stop described %q, want %q", s.DesiredDescription, want)
				}
			}
			if purge != (h.lastPlan().Job == nil) {
				t.Fatalf("plan job %v for purge=%v", h.lastPlan().Job, purge)
			}
			if len(h.liveAllocs(job)) != 0 || h.lastEval().Status != structs.EvalStatusComplete {
				t.Fatalf("live allocs remain or eval not complete")
			}
		})
	}
}

// TestServiceSched_InPlaceSkipsNodeNotReady checks that a count change does
// not send in-place updates to a node the plan applier would refuse, while
// new instances still go to ready nodes.
func TestServiceSched_InPlaceSkipsNodeNotReady(t *testing.T) {
	h := newHarness(t)
	old, ready := mockNode(), mockNode()
	job, allocs := setupRunning(h, 1, old)
	h.addNodes(ready)
	if err := h.store.UpdateNodeEligibility(h.nextIndex(), old.ID, structs.NodeSchedulingIneligible, 1); err != nil {
		t.Fatal(err)
	}
	update := job.Copy()
	update.TaskGroups[0].Count = 2
	update = h.upsertJob(update)
	h.process(evalFor(update))

	got := placed(h.lastPlan())
	if len(got) != 1 || got[0].ID == allocs[0].ID || got[0].NodeID != ready.ID || len(stopped(h.lastPlan())) != 0 {
		t.Fatalf("placed %+v stopped %v; want only a new alloc on the ready node", got, names(stopped(h.lastPlan())))
	}
}
