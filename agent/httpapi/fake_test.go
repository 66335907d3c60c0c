package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	hclog "github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/state"
	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

// fakeServer applies writes straight to a real state store, each at the
// next index, as a one-node cluster's FSM would.
type fakeServer struct {
	store *state.StateStore

	mu     sync.Mutex
	index  uint64
	leader string
	peers  []string
	// readErr fails consistent reads; reads counts them by verify flag.
	readErr error
	reads   map[bool]int
	stats   func() map[string]map[string]string
}

func newFakeServer(t *testing.T) *fakeServer {
	t.Helper()
	s, err := state.NewStateStore()
	if err != nil {
		t.Fatal(err)
	}
	return &fakeServer{store: s, index: 100, leader: "127.0.0.1:4647", peers: []string{"127.0.0.1:4647"}}
}

func (f *fakeServer) nextIndex() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.index++
	return f.index
}

func (f *fakeServer) State() *state.StateStore { return f.store }

func (f *fakeServer) RegisterJob(_ context.Context, req *structs.JobRegisterHTTPRequest) (*structs.JobRegisterResponse, error) {
	job := req.Job.Copy()
	if job.ID == "" {
		return nil, structs.NewCodedError(http.StatusBadRequest, "job ID is required")
	}
	job.Canonicalize()
	if req.EnforceIndex {
		old, _ := f.store.JobByID(nil, job.Namespace, job.ID)
		var cur uint64
		if old != nil {
			cur = old.JobModifyIndex
		}
		if cur != req.JobModifyIndex {
			return nil, structs.NewCodedError(http.StatusBadRequest, "enforcing job modify index %d: job exists with index %d", req.JobModifyIndex, cur)
		}
	}
	idx := f.nextIndex()
	eval := mock.Eval(job)
	if err := f.store.UpsertJob(idx, job, []*structs.Evaluation{eval}); err != nil {
		return nil, err
	}
	return &structs.JobRegisterResponse{EvalID: eval.ID, EvalCreateIndex: idx, JobModifyIndex: idx, Index: idx}, nil
}

func (f *fakeServer) DeregisterJob(_ context.Context, ns, id string, purge bool) (*structs.JobDeregisterResponse, error) {
	job, err := f.store.JobByID(nil, ns, id)
	if err != nil {
		return nil, err
	}
	if job == nil {
		return nil, fmt.Errorf("job %q: %w", id, structs.ErrNotFound)
	}
	idx := f.nextIndex()
	eval := mock.Eval(job)
	eval.TriggeredBy = structs.EvalTriggerJobDeregister
	if purge {
		err = f.store.DeleteJob(idx, ns, id, []*structs.Evaluation{eval})
	} else {
		stopped := job.Copy()
		stopped.Stop = true
		err = f.store.UpsertJob(idx, stopped, []*structs.Evaluation{eval})
	}
	if err != nil {
		return nil, err
	}
	return &structs.JobDeregisterResponse{EvalID: eval.ID, EvalCreateIndex: idx, JobModifyIndex: idx, Index: idx}, nil
}

func (f *fakeServer) EvaluateJob(_ context.Context, ns, id string) (*structs.JobRegisterResponse, error) {
	job, err := f.store.JobByID(nil, ns, id)
	if err != nil {
		return nil, err
	}
	if job == nil {
		return nil, fmt.Errorf("job %q: %w", id, structs.ErrNotFound)
	}
	idx := f.nextIndex()
	eval := mock.Eval(job)
	if err := f.store.UpsertEvals(idx, []*structs.Evaluation{eval}); err != nil {
		return nil, err
	}
	return &structs.JobRegisterResponse{EvalID: eval.ID, EvalCreateIndex: idx, JobModifyIndex: job.JobModifyIndex, Index: idx}, nil
}

func (f *fakeServer) UpdateNodeEligibility(_ context.Context, nodeID, elig string) (uint64, error) {
	idx := f.nextIndex()
	if err := f.store.UpdateNodeEligibility(idx, nodeID, elig, time.Now().UnixNano()); err != nil {
		return 0, err
	}
	return idx, nil
}

func (f *fakeServer) UpdateNodeDrain(_ context.Context, nodeID string, spec *structs.DrainSpec, markEligible bool) (uint64, error) {
	idx := f.nextIndex()
	req := &structs.NodeUpdateDrainRequest{NodeID: nodeID, MarkEligible: markEligible, UpdatedAt: time.Now().UnixNano()}
	if spec != nil {
		req.DrainStrategy = structs.NewDrainStrategy(*spec, time.Now())
	}
	if err := f.store.UpdateNodeDrain(idx, req); err != nil {
		return 0, err
	}
	return idx, nil
}

func (f *fakeServer) ConsistentRead(ctx context.Context, verify bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.reads == nil {
		f.reads = map[bool]int{}
	}
	f.reads[verify]++
	return f.readErr
}

func (f *fakeServer) LastContact() time.Duration { return 0 }

func (f *fakeServer) Leader() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.leader
}

func (f *fakeServer) setLeader(l string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.leader = l
}

func (f *fakeServer) Peers() []string { return f.peers }

func (f *fakeServer) Stats() map[string]map[string]string {
	if f.stats != nil {
		return f.stats()
	}
	return map[string]map[string]string{"raft": {"state": "Leader"}, "nomad": {"leader": "true"}}
}

// fakeClient serves log paths registered by tests.
type fakeClient struct {
	nodeID string
	mu     sync.Mutex
	logs   map[string]string // allocID/task/type -> path
	// calls records Signal and Restart calls, see alloc_ops_test.go.
	calls []string
	// exec serves Exec, see alloc_exec_test.go.
	exec execFunc
}

func (c *fakeClient) NodeID() string { return c.nodeID }

func (c *fakeClient) LogFile(allocID, task, logType string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.logs[allocID+"/"+task+"/"+logType]
	if !ok {
		return "", fmt.Errorf("logs of %s/%s: %w", allocID, task, structs.ErrNotFound)
	}
	return p, nil
}

func (c *fakeClient) setLog(allocID, task, logType, path string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.logs[allocID+"/"+task+"/"+logType] = path
}

// harness is an API over a fake server and client.
type harness struct {
	srv    *fakeServer
	client *fakeClient
	http   *httptest.Server
}

func newHarness(t *testing.T, tweak ...func(*Config)) *harness {
	t.Helper()
	srv := newFakeServer(t)
	cl := &fakeClient{nodeID: "node-1", logs: map[string]string{}}
	cfg := Config{
		Server: srv,
		Client: cl,
		Logger: hclog.New(&hclog.LoggerOptions{Name: t.Name(), Level: hclog.Warn, Output: testWriter{t}}),
		Self: func() AgentSelf {
			return AgentSelf{Config: map[string]interface{}{"Datacenter": "dc1", "Region": "global"},
				Member: AgentMember{Name: "agent-1.global", Addr: "127.0.0.1", Port: 4648, Status: "alive",
					Tags: map[string]string{"role": "nomad", "region": "global", "dc": "dc1"}}}
		},
		LogPollInterval: 10 * time.Millisecond,
	}
	for _, f := range tweak {
		f(&cfg)
	}
	ts := httptest.NewServer(NewHandler(cfg))
	t.Cleanup(ts.Close)
	return &harness{srv: srv, client: cl, http: ts}
}

// testWriter sends logs to t.Log so they show only for failing tests.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}

// do sends a request with an optional JSON (or raw string) body and returns
// the response with its body read.
func (h *harness) do(t *testing.T, method, path string, body interface{}) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, h.http.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := h.http.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, out
}

// getJSON GETs path, expects 200 and decodes the body into out.
func (h *harness) getJSON(t *testing.T, path string, out interface{}) *http.Response {
	t.Helper()
	resp, body := h.do(t, http.MethodGet, path, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, out); err != nil {
		t.Fatalf("GET %s: decoding %s: %v", path, body, err)
	}
	return resp
}

// keys decodes a JSON object (or the first element of an array) and fails
// unless it has every one of the wanted field names.
func requireKeys(t *testing.T, body []byte, want ...string) {
	t.Helper()
	var obj map[string]interface{}
	if len(body) > 0 && body[0] == '[' {
		var arr []map[string]interface{}
		if err := json.Unmarshal(body, &arr); err != nil || len(arr) == 0 {
			t.Fatalf("want a non-empty array, got %s (%v)", body, err)
		}
		obj = arr[0]
	} else if err := json.Unmarshal(body, &obj); err != nil {
		t.Fatalf("want an object, got %s: %v", body, err)
	}
	for _, k := range want {
		if _, ok := obj[k]; !ok {
			t.Errorf("field %q missing from %s", k, body)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func mustUnmarshal(t *testing.T, body []byte, out interface{}) {
	t.Helper()
	if err := json.Unmarshal(body, out); err != nil {
		t.Fatalf("decoding %s: %v", body, err)
	}
}
