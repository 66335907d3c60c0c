package statedb

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

func openTemp(t *testing.T) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "client", "state.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return db, path
}

// TestRoundTrip writes allocations and tasks, reopens the file as a
// restarted client would, and reads back exactly what was written.
func TestRoundTrip(t *testing.T) {
	db, path := openTemp(t)
	job := mock.Job()
	a1 := mock.Alloc(job, mock.Node(), 0)
	a2 := mock.Alloc(job, mock.Node(), 1)
	now := time.Unix(1700000000, 123).UTC()
	ev := structs.NewTaskEvent(structs.TaskStarted, now, "Task started by client")
	ev.Details["k"] = "v"
	running := &TaskRecord{
		State:    &structs.TaskState{State: structs.TaskStateRunning, Restarts: 2, StartedAt: now, Events: []*structs.TaskEvent{ev}},
		Restarts: RestartState{Count: 2, WindowStart: now.Add(-time.Minute)},
		Driver:   "raw_exec",
		Handle:   []byte(`{"Dir":"/x"}`),
	}
	dead := &TaskRecord{State: &structs.TaskState{State: structs.TaskStateDead, Failed: true, FinishedAt: now}}
	for _, a := range []*structs.Allocation{a1, a2} {
		if err := db.PutAlloc(a); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.PutTask(a1.ID, "web", dead); err != nil { // replaced below
		t.Fatal(err)
	}
	if err := db.PutTask(a1.ID, "web", running); err != nil {
		t.Fatal(err)
	}
	if err := db.PutTask(a1.ID, "side", dead); err != nil {
		t.Fatal(err)
	}
	// A task of an allocation never recorded (or deleted) is dropped.
	if err := db.PutTask("gone", "web", running); err != nil {
		t.Fatal(err)
	}
	a1v2 := a1.Copy()
	a1v2.AllocModifyIndex = 99
	a1v2.DesiredStatus = structs.AllocDesiredStatusStop
	if err := db.PutAlloc(a1v2); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteAlloc(a2.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteAlloc("never-there"); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	recs, err := db.Allocs()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 {
		t.Fatalf("got %d allocations, want 1", len(recs))
	}
	got := recs[0]
	if got.Alloc.ID != a1.ID || got.Alloc.AllocModifyIndex != 99 || got.Alloc.DesiredStatus != structs.AllocDesiredStatusStop {
		t.Fatalf("alloc = %+v, want the second version of %s", got.Alloc, a1.ID)
	}
	if got.Alloc.Job == nil || got.Alloc.Job.ID != job.ID || got.Alloc.Job.TaskGroups[0].Tasks[0].Name != job.TaskGroups[0].Tasks[0].Name {
		t.Fatalf("alloc's job not kept: %+v", got.Alloc.Job)
	}
	want := map[string]*TaskRecord{"web": running, "side": dead}
	if len(got.Tasks) != len(want) {
		t.Fatalf("tasks = %v", got.Tasks)
	}
	for name, w := range want {
		g := got.Tasks[name]
		if g == nil {
			t.Fatalf("task %q missing", name)
		}
		// msgpack drops the monotonic clock and location; compare instants.
		if !g.State.StartedAt.Equal(w.State.StartedAt) || !g.State.FinishedAt.Equal(w.State.FinishedAt) ||
			!g.Restarts.WindowStart.Equal(w.Restarts.WindowStart) {
			t.Fatalf("task %q times = %+v / %+v, want %+v / %+v", name, g.State, g.Restarts, w.State, w.Restarts)
		}
		g.State.StartedAt, g.State.FinishedAt, g.Restarts.WindowStart = w.State.StartedAt, w.State.FinishedAt, w.Restarts.WindowStart
		for i, ev := range g.State.Events {
			if ev.Time != w.State.Events[i].Time {
				t.Fatalf("event time %d, want %d", ev.Time, w.State.Events[i].Time)
			}
		}
		if !reflect.DeepEqual(g, w) {
			t.Fatalf("task %q = %+v, want %+v", name, g, w)
		}
	}
}

func TestSecondOpenTimesOut(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the lock timeout")
	}
	db, path := openTemp(t)
	defer db.Close()
	_, err := Open(path)
	if err == nil || !strings.Contains(err.Error(), "timeout") {
		t.Fatalf("second open: %v, want a lock timeout", err)
	}
}
