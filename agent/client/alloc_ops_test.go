package client

import (
	"errors"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/drover-project/drover/structs"
)

func runningAlloc(t *testing.T, cfg map[string]interface{}) (*fakeServer, *Client, *structs.Allocation) {
	t.Helper()
	srv := newFakeServer()
	c := testClient(t, srv, nil)
	job := testJob(structs.JobTypeService, mockTask("web", cfg))
	job.TaskGroups[0].RestartPolicy.Attempts = 0 // user restarts must not count
	a := placeAlloc(srv, c, job)
	waitFor(t, "web running", func() bool {
		st := srv.alloc(a.ID).TaskStates["web"]
		return st != nil && st.State == structs.TaskStateRunning
	})
	return srv, c, a
}

func TestRestartTask(t *testing.T) {
	for _, task := range []string{"web", ""} {
		t.Run("task="+task, func(t *testing.T) {
			srv, c, a := runningAlloc(t, map[string]interface{}{})
			if err := c.Restart(a.ID, task, false); err != nil {
				t.Fatal(err)
			}
			var st *structs.TaskState
			waitFor(t, "restarted and running", func() bool {
				st = srv.alloc(a.ID).TaskStates["web"]
				return st.Restarts == 1 && st.State == structs.TaskStateRunning
			})
			types := eventTypes(st)
			want := []string{structs.TaskRestartSignal, structs.TaskTerminated, structs.TaskRestarting, structs.TaskStarted}
			if !reflect.DeepEqual(types[len(types)-4:], want) {
				t.Fatalf("events = %v, want them to end with %v", types, want)
			}
			if ev := st.Events[len(types)-4]; ev.DisplayMessage != "User requested restart" {
				t.Fatalf("restart signal message = %q", ev.DisplayMessage)
			}
			if got := srv.alloc(a.ID); got.ClientStatus != structs.AllocClientStatusRunning || st.Failed {
				t.Fatalf("alloc %s, task failed=%v", got.ClientStatus, st.Failed)
			}
		})
	}
}

func TestTaskOpErrors(t *testing.T) {
	_, c, a := runningAlloc(t, map[string]interface{}{})
	cases := []struct {
		name     string
		op       func() error
		notFound bool
		code     int
	}{
		{"unknown alloc", func() error { return c.Restart("nope", "web", false) }, true, 0},
		{"unknown task", func() error { return c.Signal(a.ID, "nope", "SIGHUP") }, true, 0},
		{"bad signal", func() error { return c.Signal(a.ID, "web", "SIGNOPE") }, false, 400},
		{"task and all tasks", func() error { return c.Restart(a.ID, "web", true) }, false, 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.op()
			if tc.notFound != errors.Is(err, structs.ErrNotFound) {
				t.Fatalf("err = %v, want not found %v", err, tc.notFound)
			}
			if tc.code != 0 {
				if code, ok := structs.ErrorCode(err); !ok || code != tc.code {
					t.Fatalf("err = %v, want code %d", err, tc.code)
				}
			}
		})
	}
}

func TestSignalTask(t *testing.T) {
	srv, c, a := runningAlloc(t, map[string]interface{}{})
	if err := c.Signal(a.ID, "web", "SIGHUP"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "signaling event", func() bool {
		st := srv.alloc(a.ID).TaskStates["web"]
		last := st.Events[len(st.Events)-1]
		return last.Type == structs.TaskSignaling && last.DisplayMessage == "Task being sent signal SIGHUP"
	})
	if st := srv.alloc(a.ID).TaskStates["web"]; st.State != structs.TaskStateRunning {
		t.Fatalf("signalled task is %s", st.State)
	}
	srv.stop(a.ID)
	waitStatus(t, srv, a.ID, structs.AllocClientStatusComplete)
	if code, ok := structs.ErrorCode(c.Signal(a.ID, "web", "SIGHUP")); !ok || code != 400 {
		t.Fatalf("signalling a dead task: code %d", code)
	}
}

func TestAllocStats(t *testing.T) {
	_, c, a := runningAlloc(t, map[string]interface{}{"stats_cpu_percent": 50, "stats_rss_bytes": 4096})
	before := time.Now().UnixNano()
	u, err := c.AllocStats(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	mhz, _ := strconv.ParseFloat(c.Node().Attributes["cpu.frequency"], 64)
	task := u.Tasks["web"]
	if task == nil || task.ResourceUsage.MemoryStats.RSS != 4096 || task.ResourceUsage.CpuStats.Percent != 50 {
		t.Fatalf("task usage = %+v", task)
	}
	if got, want := task.ResourceUsage.CpuStats.TotalTicks, mhz/2; got != want {
		t.Fatalf("TotalTicks = %v, want half of %v MHz", got, mhz)
	}
	if u.ResourceUsage.MemoryStats.RSS != 4096 || u.ResourceUsage.CpuStats.TotalTicks != mhz/2 {
		t.Fatalf("alloc usage = %+v %+v", u.ResourceUsage.MemoryStats, u.ResourceUsage.CpuStats)
	}
	if u.Timestamp < before {
		t.Fatalf("timestamp %d is before the request", u.Timestamp)
	}
	if _, err := c.AllocStats("nope"); !errors.Is(err, structs.ErrNotFound) {
		t.Fatalf("unknown alloc: %v", err)
	}
}
