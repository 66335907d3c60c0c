package client

import (
	"slices"
	"testing"

	"github.com/drover-project/drover/structs"
)

func hookTask(name, hook string, sidecar bool, cfg map[string]interface{}) *structs.Task {
	t := mockTask(name, cfg)
	t.Lifecycle = &structs.TaskLifecycleConfig{Hook: hook, Sidecar: sidecar}
	return t
}

func TestLifecycleOrdering(t *testing.T) {
	cases := []struct {
		name   string
		leader bool
	}{{"plain", false}, {"main is leader", true}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFakeServer()
			c := testClient(t, srv, nil)
			main := mockTask("main", map[string]interface{}{"run_for": "150ms"})
			main.Leader = tc.leader
			job := testJob(structs.JobTypeBatch,
				hookTask("init", structs.TaskLifecycleHookPrestart, false, map[string]interface{}{"run_for": "50ms"}),
				hookTask("proxy", structs.TaskLifecycleHookPrestart, true, map[string]interface{}{}),
				main,
				hookTask("announce", structs.TaskLifecycleHookPoststart, false, map[string]interface{}{"run_for": "10ms"}),
				hookTask("cleanup", structs.TaskLifecycleHookPoststop, false, map[string]interface{}{"run_for": "50ms"}),
			)
			a := placeAlloc(srv, c, job)
			got := waitStatus(t, srv, a.ID, structs.AllocClientStatusComplete)
			st := got.TaskStates
			for name, ts := range st {
				if ts.State != structs.TaskStateDead || ts.Failed || ts.Restarts != 0 {
					t.Errorf("%s: state %s failed=%v restarts=%d", name, ts.State, ts.Failed, ts.Restarts)
				}
				if ts.StartedAt.IsZero() {
					t.Errorf("%s never started: %v", name, eventTypes(ts))
				}
			}
			if st["main"].StartedAt.Before(st["init"].FinishedAt) {
				t.Error("main started before the prestart task finished")
			}
			if st["proxy"].StartedAt.After(st["main"].StartedAt) {
				t.Error("prestart sidecar started after main")
			}
			if st["announce"].StartedAt.Before(st["main"].StartedAt) {
				t.Error("poststart task started before main")
			}
			if st["cleanup"].StartedAt.Before(st["main"].FinishedAt) || st["cleanup"].StartedAt.Before(st["proxy"].FinishedAt) {
				t.Error("poststop task started before the others ended")
			}
			if !slices.Contains(eventTypes(st["proxy"]), structs.TaskMainDead) && !slices.Contains(eventTypes(st["proxy"]), structs.TaskLeaderDead) {
				t.Errorf("sidecar events = %v, want it killed when main ended", eventTypes(st["proxy"]))
			}
			// Complete is reported only once the poststop task has ended.
			for _, upd := range srv.updatesOf(a.ID) {
				if upd.ClientStatus == structs.AllocClientStatusComplete && upd.TaskStates["cleanup"].State != structs.TaskStateDead {
					t.Fatal("alloc reported complete before its poststop task ended")
				}
			}
		})
	}
}

func TestLifecyclePrestartFailureFailsAlloc(t *testing.T) {
	srv := newFakeServer()
	c := testClient(t, srv, nil)
	job := testJob(structs.JobTypeService,
		hookTask("init", structs.TaskLifecycleHookPrestart, false, map[string]interface{}{"run_for": "1ms", "exit_code": 3}),
		hookTask("proxy", structs.TaskLifecycleHookPrestart, true, map[string]interface{}{}),
		mockTask("main", map[string]interface{}{}),
		hookTask("cleanup", structs.TaskLifecycleHookPoststop, false, map[string]interface{}{"run_for": "1ms"}),
	)
	a := placeAlloc(srv, c, job)
	got := waitStatus(t, srv, a.ID, structs.AllocClientStatusFailed)
	waitFor(t, "every task dead", func() bool {
		got = srv.alloc(a.ID)
		for _, ts := range got.TaskStates {
			if ts.State != structs.TaskStateDead {
				return false
			}
		}
		return true
	})
	init := got.TaskStates["init"]
	if !init.Failed || init.Restarts != 2 {
		t.Fatalf("prestart task: failed=%v restarts=%d, want failed after its 2 restarts", init.Failed, init.Restarts)
	}
	mainEvents := eventTypes(got.TaskStates["main"])
	if slices.Contains(mainEvents, structs.TaskStarted) || !slices.Contains(mainEvents, structs.TaskSiblingFailed) {
		t.Fatalf("main events = %v, want it never started and killed for its sibling", mainEvents)
	}
	if !slices.Contains(eventTypes(got.TaskStates["proxy"]), structs.TaskKilled) {
		t.Fatalf("sidecar events = %v, want it killed", eventTypes(got.TaskStates["proxy"]))
	}
	if !slices.Contains(eventTypes(got.TaskStates["cleanup"]), structs.TaskTerminated) {
		t.Fatalf("poststop events = %v, want it run after the failure", eventTypes(got.TaskStates["cleanup"]))
	}
}

func TestLifecyclePoststopRunsOnServerStop(t *testing.T) {
	srv := newFakeServer()
	c := testClient(t, srv, nil)
	job := testJob(structs.JobTypeService,
		hookTask("init", structs.TaskLifecycleHookPrestart, false, map[string]interface{}{"run_for": "1ms"}),
		mockTask("main", map[string]interface{}{}),
		hookTask("cleanup", structs.TaskLifecycleHookPoststop, false, map[string]interface{}{"run_for": "50ms"}),
	)
	a := placeAlloc(srv, c, job)
	waitFor(t, "main running", func() bool {
		st := srv.alloc(a.ID).TaskStates["main"]
		return st != nil && st.State == structs.TaskStateRunning
	})
	if st := srv.alloc(a.ID).TaskStates["cleanup"]; st.State != structs.TaskStatePending {
		t.Fatalf("poststop task is %s while main runs", st.State)
	}
	if st := srv.alloc(a.ID).TaskStates["init"]; st.State != structs.TaskStateDead || st.Failed || st.Restarts != 0 {
		t.Fatalf("service prestart task = %s failed=%v restarts=%d, want done after one successful run", st.State, st.Failed, st.Restarts)
	}
	srv.stop(a.ID)
	got := waitStatus(t, srv, a.ID, structs.AllocClientStatusComplete)
	cleanup := got.TaskStates["cleanup"]
	if cleanup.Failed || cleanup.StartedAt.Before(got.TaskStates["main"].FinishedAt) {
		t.Fatalf("poststop = %+v, want it run after main was killed", cleanup)
	}
	if types := eventTypes(cleanup); !slices.Contains(types, structs.TaskTerminated) || slices.Contains(types, structs.TaskKilled) {
		t.Fatalf("poststop events = %v, want it run to completion, not killed", types)
	}
}
