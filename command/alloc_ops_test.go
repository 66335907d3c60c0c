package command

import (
	"strings"
	"testing"

	"github.com/drover-project/drover/structs"
)

func TestAllocSignalAndRestart(t *testing.T) {
	cases := []struct {
		name     string
		args     []string
		code     int
		wantReq  string
		wantBody string
		wantErr  string
	}{
		{"signal task", []string{"alloc", "signal", "-s", "SIGHUP", "5e6f", "hello"}, 0,
			"PUT /v1/client/allocation/" + allocID + "/signal", `{"Task":"hello","Signal":"SIGHUP"}`, ""},
		{"signal all tasks", []string{"alloc", "signal", "5e6f"}, 0,
			"PUT /v1/client/allocation/" + allocID + "/signal", `{"Task":"","Signal":""}`, ""},
		{"signal -task", []string{"alloc", "signal", "-task", "hello", "5e6f"}, 0,
			"PUT /v1/client/allocation/" + allocID + "/signal", `{"Task":"hello","Signal":""}`, ""},
		{"signal unknown task", []string{"alloc", "signal", "5e6f", "nope"}, 1, "", "", "Could not find task named: nope"},
		{"restart task", []string{"alloc", "restart", "5e6f", "hello"}, 0,
			"PUT /v1/client/allocation/" + allocID + "/restart", `{"TaskName":"hello","AllTasks":false}`, ""},
		{"restart all tasks", []string{"alloc", "restart", "-all-tasks", "5e6f"}, 0,
			"PUT /v1/client/allocation/" + allocID + "/restart", `{"TaskName":"","AllTasks":true}`, ""},
		{"restart all tasks and a task", []string{"alloc", "restart", "-all-tasks", "5e6f", "hello"}, 1, "", "",
			"The -all-tasks option cannot be used with a task name"},
		{"restart too many args", []string{"alloc", "restart", "5e6f", "hello", "extra"}, 1, "", "", "one or two arguments"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAgent(t)
			serveAlloc(f, fixtureAlloc(structs.AllocClientStatusRunning))
			f.json("PUT /v1/client/allocation/{id}/signal", struct{}{})
			f.json("PUT /v1/client/allocation/{id}/restart", struct{}{})
			r := f.run(tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d: %s", r.code, tc.code, r.err)
			}
			if tc.wantErr != "" && !strings.Contains(r.err, tc.wantErr) {
				t.Fatalf("stderr %q lacks %q", r.err, tc.wantErr)
			}
			if tc.wantReq == "" {
				if f.requested("PUT") {
					t.Fatal("sent a request although the arguments were wrong")
				}
				return
			}
			if !f.requested(tc.wantReq) {
				t.Fatalf("no %s: %v", tc.wantReq, f.requests)
			}
			if body := f.lastBody(); strings.TrimSpace(body) != tc.wantBody {
				t.Fatalf("body = %s, want %s", body, tc.wantBody)
			}
		})
	}
}

func TestAllocSignalError(t *testing.T) {
	f := newFakeAgent(t)
	serveAlloc(f, fixtureAlloc(structs.AllocClientStatusRunning))
	f.fail("PUT /v1/client/allocation/{id}/signal", 400, `task "hello" is not running`)
	r := f.run("alloc", "signal", "5e6f", "hello")
	if r.code != 1 || !strings.Contains(r.err, `Error signalling allocation`) || !strings.Contains(r.err, "is not running") {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
}

func TestAllocStop(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		wantOut []string
	}{
		{"monitor", []string{"5e6f"}, []string{
			`==> 2024-05-06T07:08:09Z: Evaluation "1f2e3d4c" finished with status "complete"`,
			`    2024-05-06T07:08:09Z: Evaluation triggered by job "example"`,
		}},
		{"detach", []string{"-detach", "5e6f"}, []string{evalID}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAgent(t)
			serveAlloc(f, fixtureAlloc(structs.AllocClientStatusRunning))
			f.json("PUT /v1/allocation/{id}/stop", &structs.AllocStopResponse{EvalID: evalID, Index: 12})
			eval := fixtureEval(structs.EvalStatusComplete)
			eval.TriggeredBy = structs.EvalTriggerAllocStop
			f.json("GET /v1/evaluation/{id}", eval)
			f.json("GET /v1/evaluation/{id}/allocations", []*structs.AllocListStub{})
			r := f.run(append([]string{"alloc", "stop"}, tc.args...)...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.err)
			}
			wantLines(t, r.out, tc.wantOut...)
			if !f.requested("PUT /v1/allocation/" + allocID + "/stop") {
				t.Fatalf("no stop request: %v", f.requests)
			}
		})
	}
}

func TestAllocStatusStats(t *testing.T) {
	f := newFakeAgent(t)
	serveAlloc(f, fixtureAlloc(structs.AllocClientStatusRunning))
	ru := &structs.ResourceUsage{
		MemoryStats: &structs.MemoryStats{RSS: 1258291, Measured: []string{"RSS"}},
		CpuStats:    &structs.CpuStats{Percent: 1.5, TotalTicks: 37.9, Measured: []string{"Percent"}},
	}
	f.json("GET /v1/client/allocation/{id}/stats", &structs.AllocResourceUsage{ResourceUsage: ru,
		Tasks: map[string]*structs.TaskResourceUsage{"hello": {ResourceUsage: ru}}})
	r := f.run("alloc", "status", "-stats", "5e6f")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	golden(t, "alloc_status_stats", r.out)
}

func TestFormatIBytes(t *testing.T) {
	cases := []struct {
		n    uint64
		want string
	}{{0, "0 B"}, {1023, "1023 B"}, {1024, "1.0 KiB"}, {1258291, "1.2 MiB"}, {64 << 20, "64 MiB"}, {3 << 30, "3.0 GiB"}}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			if got := formatIBytes(tc.n); got != tc.want {
				t.Fatalf("formatIBytes(%d) = %q, want %q", tc.n, got, tc.want)
			}
		})
	}
}

// lastBody is the body of the last request f received.
func (f *fakeAgent) lastBody() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.bodies[len(f.bodies)-1]
}
