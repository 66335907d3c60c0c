package client

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/drover-project/drover/structs"
	smock "github.com/drover-project/drover/structs/mock"
)

func mockTask(name string, cfg map[string]interface{}) *structs.Task {
	return &structs.Task{Name: name, Driver: "mock", Config: cfg, KillTimeout: time.Second}
}

// testJob is a one-group job of the given type and tasks with a fast
// restart policy (2 attempts in 30m, 10ms apart, mode fail).
func testJob(typ string, tasks ...*structs.Task) *structs.Job {
	j := smock.Job()
	j.Type = typ
	tg := j.TaskGroups[0]
	tg.Count = 1
	tg.Tasks = tasks
	tg.RestartPolicy = &structs.RestartPolicy{Attempts: 2, Interval: 30 * time.Minute, Delay: 10 * time.Millisecond, Mode: structs.RestartPolicyModeFail}
	j.Canonicalize()
	return j
}

func placeAlloc(srv *fakeServer, c *Client, job *structs.Job) *structs.Allocation {
	a := smock.Alloc(job, c.Node(), 0)
	a.NodeID = c.NodeID()
	a.ClientStatus = structs.AllocClientStatusPending
	srv.place(a)
	return a
}

func waitStatus(t *testing.T, srv *fakeServer, id, status string) *structs.Allocation {
	t.Helper()
	var a *structs.Allocation
	waitFor(t, "alloc status "+status, func() bool {
		a = srv.alloc(id)
		return a.ClientStatus == status
	})
	return a
}

func TestAllocRunsToCompletion(t *testing.T) {
	srv := newFakeServer()
	c := testClient(t, srv, nil)
	job := testJob(structs.JobTypeBatch, mockTask("work", map[string]interface{}{"run_for": "150ms", "stdout_string": "hello\n"}))
	a := placeAlloc(srv, c, job)

	done := waitStatus(t, srv, a.ID, structs.AllocClientStatusComplete)
	if got := srv.statuses(a.ID); len(got) < 2 || !reflect.DeepEqual(got[len(got)-2:], []string{"running", "complete"}) {
		t.Fatalf("statuses = %v, want to pass through running to complete", got)
	}
	st := done.TaskStates["work"]
	if st.State != structs.TaskStateDead || st.Failed || st.Restarts != 0 {
		t.Fatalf("task state = %+v", st)
	}
	want := []string{structs.TaskReceived, structs.TaskSetup, structs.TaskStarted, structs.TaskTerminated}
	if got := eventTypes(st); !reflect.DeepEqual(got, want) {
		t.Fatalf("events = %v, want %v", got, want)
	}
	if msg := st.Events[3].DisplayMessage; msg != "Exit Code: 0" {
		t.Fatalf("terminated message = %q", msg)
	}
	if done.NodeID != c.NodeID() || done.ClientDescription != "All tasks have completed" {
		t.Fatalf("alloc = node %q desc %q", done.NodeID, done.ClientDescription)
	}
	path, err := c.LogFile(a.ID, "work", "stdout")
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "hello\n" {
		t.Fatalf("stdout log = %q", b)
	}
	if !strings.HasSuffix(path, "/"+a.ID+"/alloc/logs/work.stdout.0") {
		t.Fatalf("log path = %s", path)
	}
}

func TestRestartPolicy(t *testing.T) {
	cases := []struct {
		name         string
		jobType      string
		cfg          map[string]interface{}
		policy       *structs.RestartPolicy
		wantStatus   string
		wantRestarts uint64
		wantLast     string // type of the last event
		wantMessage  string // its display message
		wantEvent    string // an event type that must appear
	}{
		{
			name: "batch failure exhausts attempts", jobType: structs.JobTypeBatch,
			cfg:        map[string]interface{}{"run_for": "1ms", "exit_code": 2},
			wantStatus: structs.AllocClientStatusFailed, wantRestarts: 2,
			wantLast:    structs.TaskNotRestarting,
			wantMessage: `Exceeded allowed attempts 2 in interval 30m0s and mode is "fail"`,
			wantEvent:   structs.TaskRestarting,
		},
		{
			name: "driver start error counts as failure", jobType: structs.JobTypeBatch,
			cfg:        map[string]interface{}{"start_error": "no capacity for you"},
			wantStatus: structs.AllocClientStatusFailed, wantRestarts: 2,
			wantLast:    structs.TaskNotRestarting,
			wantMessage: `Exceeded allowed attempts 2 in interval 30m0s and mode is "fail"`,
			wantEvent:   structs.TaskDriverFailure,
		},
		{
			name: "service restarts on success too", jobType: structs.JobTypeService,
			cfg:        map[string]interface{}{"run_for": "1ms"},
			wantStatus: structs.AllocClientStatusFailed, wantRestarts: 2,
			wantLast:  structs.TaskNotRestarting,
			wantEvent: structs.TaskRestarting,
		},
		{
			name: "no restarts allowed", jobType: structs.JobTypeBatch,
			cfg:         map[string]interface{}{"run_for": "1ms", "exit_code": 1},
			policy:      &structs.RestartPolicy{Attempts: 0, Interval: time.Minute, Delay: time.Millisecond, Mode: structs.RestartPolicyModeFail},
			wantStatus:  structs.AllocClientStatusFailed,
			wantLast:    structs.TaskNotRestarting,
			wantMessage: "Policy allows no restarts",
		},
		{
			name: "invalid config fails validation", jobType: structs.JobTypeBatch,
			cfg:         map[string]interface{}{"run_forr": "1ms"},
			wantStatus:  structs.AllocClientStatusFailed,
			wantLast:    structs.TaskFailedValidation,
			wantMessage: `mock: config: unknown field "run_forr"`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFakeServer()
			c := testClient(t, srv, nil)
			job := testJob(tc.jobType, mockTask("t", tc.cfg))
			if tc.policy != nil {
				job.TaskGroups[0].RestartPolicy = tc.policy
			}
			a := placeAlloc(srv, c, job)
			got := waitStatus(t, srv, a.ID, tc.wantStatus)
			st := got.TaskStates["t"]
			if st.State != structs.TaskStateDead || !st.Failed || st.Restarts != tc.wantRestarts {
				t.Fatalf("task state = %s failed=%v restarts=%d, want dead failed restarts=%d", st.State, st.Failed, st.Restarts, tc.wantRestarts)
			}
			last := st.Events[len(st.Events)-1]
			if last.Type != tc.wantLast || (tc.wantMessage != "" && last.DisplayMessage != tc.wantMessage) {
				t.Fatalf("last event = %s %q, want %s %q", last.Type, last.DisplayMessage, tc.wantLast, tc.wantMessage)
			}
			if tc.wantEvent != "" && !slices.Contains(eventTypes(st), tc.wantEvent) {
				t.Fatalf("events %v lack %s", eventTypes(st), tc.wantEvent)
			}
			for _, ev := range st.Events {
				if ev.Type == structs.TaskRestarting && ev.DisplayMessage != "Task restarting in 10ms" {
					t.Fatalf("restarting message = %q", ev.DisplayMessage)
				}
				if ev.Type == structs.TaskDriverFailure && ev.DisplayMessage != "no capacity for you" {
					t.Fatalf("driver failure message = %q", ev.DisplayMessage)
				}
			}
		})
	}
}

func TestStopRequestCompletes(t *testing.T) {
	srv := newFakeServer()
	c := testClient(t, srv, nil)
	job := testJob(structs.JobTypeService, mockTask("web", map[string]interface{}{}))
	job.TaskGroups[0].Tasks[0].KillSignal = "SIGTERM"
	a := placeAlloc(srv, c, job)
	waitStatus(t, srv, a.ID, structs.AllocClientStatusRunning)

	srv.stop(a.ID)
	got := waitStatus(t, srv, a.ID, structs.AllocClientStatusComplete)
	st := got.TaskStates["web"]
	if st.Failed || st.State != structs.TaskStateDead {
		t.Fatalf("task state = %+v", st)
	}
	types := eventTypes(st)
	want := []string{structs.TaskKilling, structs.TaskTerminated, structs.TaskKilled}
	if !reflect.DeepEqual(types[len(types)-3:], want) {
		t.Fatalf("events = %v, want them to end with %v", types, want)
	}
	if msg := st.Events[len(types)-3].DisplayMessage; msg != "Sent SIGTERM. Waiting 1s before force killing" {
		t.Fatalf("killing message = %q", msg)
	}
	if term := st.Events[len(types)-2]; term.Signal != 15 || term.DisplayMessage != "Exit Code: 143, Signal: 15" {
		t.Fatalf("terminated = %q signal %d", term.DisplayMessage, term.Signal)
	}

	// Once the servers garbage collect it, its directory goes.
	dir := c.cfg.AllocDir + "/" + a.ID
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("alloc dir missing before GC: %v", err)
	}
	srv.remove(a.ID)
	waitFor(t, "alloc dir removal", func() bool {
		_, err := os.Stat(dir)
		return os.IsNotExist(err)
	})
}

func TestStoppedBeforeRunning(t *testing.T) {
	srv := newFakeServer()
	c := testClient(t, srv, nil)
	job := testJob(structs.JobTypeService, mockTask("web", map[string]interface{}{}))
	a := smock.Alloc(job, c.Node(), 0)
	a.NodeID = c.NodeID()
	a.ClientStatus = structs.AllocClientStatusPending
	a.DesiredStatus = structs.AllocDesiredStatusStop
	srv.place(a)
	got := waitStatus(t, srv, a.ID, structs.AllocClientStatusComplete)
	if slices.Contains(eventTypes(got.TaskStates["web"]), structs.TaskStarted) {
		t.Fatal("a stopped allocation was started")
	}
}

func TestGroupSemantics(t *testing.T) {
	cases := []struct {
		name        string
		jobType     string
		first       *structs.Task
		wantStatus  string
		wantReason  string // event type on the surviving sibling
		wantMessage string
	}{
		{
			name:        "leader ends the group",
			jobType:     structs.JobTypeBatch,
			first:       &structs.Task{Name: "leader", Driver: "mock", Leader: true, Config: map[string]interface{}{"run_for": "50ms"}},
			wantStatus:  structs.AllocClientStatusComplete,
			wantReason:  structs.TaskLeaderDead,
			wantMessage: "Leader Task in Group dead",
		},
		{
			name:        "failed task kills siblings",
			jobType:     structs.JobTypeService,
			first:       &structs.Task{Name: "broken", Driver: "mock", Config: map[string]interface{}{"start_error": "boom"}},
			wantStatus:  structs.AllocClientStatusFailed,
			wantReason:  structs.TaskSiblingFailed,
			wantMessage: `Task's sibling "broken" failed`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFakeServer()
			c := testClient(t, srv, nil)
			job := testJob(tc.jobType, tc.first, mockTask("sidecar", map[string]interface{}{}))
			job.TaskGroups[0].RestartPolicy.Attempts = 0
			a := placeAlloc(srv, c, job)
			got := waitStatus(t, srv, a.ID, tc.wantStatus)
			waitFor(t, "sidecar dead", func() bool {
				got = srv.alloc(a.ID)
				return got.TaskStates["sidecar"].State == structs.TaskStateDead
			})
			side := got.TaskStates["sidecar"]
			if side.Failed {
				t.Fatal("killed sibling marked failed")
			}
			var found bool
			for _, ev := range side.Events {
				if ev.Type == tc.wantReason {
					found = ev.DisplayMessage == tc.wantMessage
				}
			}
			if !found || !slices.Contains(eventTypes(side), structs.TaskKilled) {
				t.Fatalf("sidecar events = %v, want %s %q and Killed", eventTypes(side), tc.wantReason, tc.wantMessage)
			}
		})
	}
}

func TestUnknownTaskGroupFails(t *testing.T) {
	srv := newFakeServer()
	c := testClient(t, srv, nil)
	job := testJob(structs.JobTypeService, mockTask("web", map[string]interface{}{}))
	a := smock.Alloc(job, c.Node(), 0)
	a.NodeID = c.NodeID()
	a.ClientStatus = structs.AllocClientStatusPending
	a.TaskGroup = "nope"
	srv.place(a)
	waitStatus(t, srv, a.ID, structs.AllocClientStatusFailed)
}

func TestInPlaceUpdateReachesTask(t *testing.T) {
	srv := newFakeServer()
	c := testClient(t, srv, nil)
	job := testJob(structs.JobTypeService, mockTask("web", map[string]interface{}{}))
	a := placeAlloc(srv, c, job)
	waitStatus(t, srv, a.ID, structs.AllocClientStatusRunning)

	updated := srv.alloc(a.ID)
	newJob := job.Copy()
	newJob.Meta["owner"] = "someone-else"
	updated.Job = newJob
	srv.place(updated)
	waitFor(t, "runner sees the update", func() bool {
		c.allocMu.Lock()
		ar := c.runners[a.ID]
		c.allocMu.Unlock()
		alloc, _ := ar.tasks["web"].current()
		return alloc.Job.Meta["owner"] == "someone-else"
	})
	if got := srv.alloc(a.ID); got.ClientStatus != structs.AllocClientStatusRunning {
		t.Fatalf("in-place update disturbed the task: %s", got.ClientStatus)
	}
}
