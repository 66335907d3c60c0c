package command

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/drover-project/drover/structs"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func TestMain(m *testing.M) {
	// Absolute times print in local time; pin it so golden files match.
	time.Local = time.UTC
	os.Exit(m.Run())
}

// now is the fixed clock of every test.
var now = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// fakeAgent serves canned answers on Nomad's paths and records requests.
type fakeAgent struct {
	t   *testing.T
	srv *httptest.Server
	mux *http.ServeMux

	mu       sync.Mutex
	handlers map[string]http.HandlerFunc // by pattern; a later registration replaces an earlier one
	requests []string                    // "METHOD /path?query"
	bodies   []string
}

// handle registers (or replaces) the handler of pattern.
func (f *fakeAgent) handle(pattern string, h http.HandlerFunc) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.handlers[pattern]; !ok {
		f.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			f.mu.Lock()
			h := f.handlers[pattern]
			f.mu.Unlock()
			h(w, r)
		})
	}
	f.handlers[pattern] = h
}

func newFakeAgent(t *testing.T) *fakeAgent {
	t.Helper()
	f := &fakeAgent{t: t, mux: http.NewServeMux(), handlers: map[string]http.HandlerFunc{}}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body bytes.Buffer
		_, _ = body.ReadFrom(r.Body)
		f.mu.Lock()
		f.requests = append(f.requests, r.Method+" "+r.URL.RequestURI())
		f.bodies = append(f.bodies, body.String())
		f.mu.Unlock()
		w.Header().Set("X-Nomad-Index", "10")
		f.mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// json answers pattern ("GET /v1/job/{id}") with v.
func (f *fakeAgent) json(pattern string, v interface{}) {
	f.seq(pattern, v)
}

// seq answers pattern with vs in turn, repeating the last one.
func (f *fakeAgent) seq(pattern string, vs ...interface{}) {
	var mu sync.Mutex
	n := 0
	f.handle(pattern, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		v := vs[min(n, len(vs)-1)]
		n++
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	})
}

// fail answers pattern with a plain-text error.
func (f *fakeAgent) fail(pattern string, code int, msg string) {
	f.handle(pattern, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, msg, code)
	})
}

// requested reports whether a request starting with prefix was made.
func (f *fakeAgent) requested(prefix string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.requests {
		if strings.HasPrefix(r, prefix) {
			return true
		}
	}
	return false
}

// result is what one CLI run printed.
type result struct {
	out, err string
	code     int
}

// run runs the CLI against f with the fixed clock.
func (f *fakeAgent) run(args ...string) result {
	return runCLI(f.srv.URL, "", args...)
}

func runCLI(addr, stdin string, args ...string) result {
	var out, errb bytes.Buffer
	m := &Meta{
		UI:     UI{In: strings.NewReader(stdin), Out: &out, Err: &errb},
		Getenv: func(k string) string { return map[string]string{"NOMAD_ADDR": addr}[k] },
		Now:    func() time.Time { return now },
	}
	code := RunWithMeta(m, args)
	return result{out: out.String(), err: errb.String(), code: code}
}

// golden compares got with testdata/<name>.golden, rewriting it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run with -update to create): %v", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s:\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

// wantLines checks that out contains each line (trimmed of trailing space).
func wantLines(t *testing.T, out string, lines ...string) {
	t.Helper()
	have := map[string]bool{}
	for _, l := range strings.Split(out, "\n") {
		have[strings.TrimRight(l, " ")] = true
	}
	for _, l := range lines {
		if !have[l] {
			t.Errorf("output lacks line %q; output:\n%s", l, out)
		}
	}
}

// Fixtures with fixed IDs and times.
const (
	jobID   = "example"
	evalID  = "1f2e3d4c-0000-4000-8000-000000000001"
	blockID = "9a8b7c6d-0000-4000-8000-000000000002"
	allocID = "5e6f7a8b-0000-4000-8000-000000000003"
	nodeID  = "c0ffee00-0000-4000-8000-000000000004"
)

func ts(ago time.Duration) int64 { return now.Add(-ago).UnixNano() }

func fixtureJob() *structs.Job {
	j := &structs.Job{
		ID: jobID, Name: jobID, Type: structs.JobTypeService, Priority: 50, Datacenters: []string{"dc1"},
		Namespace: "default", NodePool: "default", Status: structs.JobStatusRunning, SubmitTime: ts(time.Hour),
		TaskGroups: []*structs.TaskGroup{{Name: "app", Count: 1, Tasks: []*structs.Task{{
			Name: "hello", Driver: "raw_exec", Resources: &structs.Resources{CPU: 100, MemoryMB: 64},
		}}}},
		CreateIndex: 5, ModifyIndex: 5, JobModifyIndex: 5,
	}
	return j
}

func fixtureAlloc(status string) *structs.Allocation {
	job := fixtureJob()
	return &structs.Allocation{
		ID: allocID, EvalID: evalID, Name: "example.app[0]", Namespace: "default", NodeID: nodeID, NodeName: "node-1",
		JobID: jobID, Job: job, TaskGroup: "app", AllocatedResources: structs.AllocatedResourcesFor(job.TaskGroups[0]),
		DesiredStatus: structs.AllocDesiredStatusRun, ClientStatus: status, ClientDescription: "Tasks are running",
		TaskStates: map[string]*structs.TaskState{"hello": {
			State: structs.TaskStateRunning, StartedAt: now.Add(-50 * time.Second),
			Events: []*structs.TaskEvent{
				{Type: structs.TaskReceived, Time: ts(55 * time.Second), DisplayMessage: "Task received by client"},
				{Type: structs.TaskSetup, Time: ts(54 * time.Second), DisplayMessage: "Building Task Directory"},
				{Type: structs.TaskStarted, Time: ts(50 * time.Second), DisplayMessage: "Task started by client"},
			},
		}},
		CreateIndex: 8, ModifyIndex: 9, CreateTime: ts(56 * time.Second), ModifyTime: ts(12 * time.Second),
	}
}

func fixtureEval(status string) *structs.Evaluation {
	return &structs.Evaluation{
		ID: evalID, Namespace: "default", Priority: 50, Type: structs.JobTypeService,
		TriggeredBy: structs.EvalTriggerJobRegister, JobID: jobID, Status: status,
		CreateIndex: 7, ModifyIndex: 8, CreateTime: ts(time.Minute), ModifyTime: ts(time.Minute),
	}
}

// failedEval is a completed evaluation that could not place its group.
func failedEval() *structs.Evaluation {
	e := fixtureEval(structs.EvalStatusComplete)
	e.BlockedEval = blockID
	e.FailedTGAllocs = map[string]*structs.AllocMetric{"app": {
		NodesEvaluated: 2, NodesFiltered: 1, NodesExhausted: 1,
		ConstraintFiltered: map[string]int{"${attr.kernel.name} = windows": 1},
		DimensionExhausted: map[string]int{"memory": 1},
	}}
	e.QueuedAllocations = map[string]int{"app": 1}
	return e
}

func fixtureNode() *structs.Node {
	return &structs.Node{
		ID: nodeID, Name: "node-1", Datacenter: "dc1", NodePool: "default", Status: structs.NodeStatusReady,
		SchedulingEligibility: structs.NodeSchedulingEligible, HTTPAddr: "127.0.0.1:4646",
		Attributes: map[string]string{"kernel.name": "linux", "unique.network.ip-address": "127.0.0.1"},
		NodeResources: &structs.NodeResources{Cpu: structs.NodeCpuResources{CpuShares: 4000},
			Memory: structs.NodeMemoryResources{MemoryMB: 8192}, Disk: structs.NodeDiskResources{DiskMB: 10240}},
		ReservedResources: &structs.NodeReservedResources{Memory: structs.NodeReservedMemoryResources{MemoryMB: 256}},
		Drivers: map[string]*structs.DriverInfo{
			"raw_exec": {Detected: true, Healthy: true, HealthDescription: "Healthy", UpdateTime: ts(time.Hour)},
			"mock":     {Detected: true, Healthy: true, HealthDescription: "Healthy", UpdateTime: ts(time.Hour)},
			"exec":     {Detected: false, Healthy: false, HealthDescription: "exec requires root", UpdateTime: ts(time.Hour)},
		},
		CreateIndex: 2, ModifyIndex: 3,
	}
}
