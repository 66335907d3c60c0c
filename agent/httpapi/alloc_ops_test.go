package httpapi

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

// fakeAllocID is the one allocation the fake client runs.
const fakeAllocID = "5f2e7f3c-0000-4000-8000-000000000001"

func (f *fakeServer) StopAlloc(_ context.Context, allocID string) (*structs.AllocStopResponse, error) {
	a, err := f.store.AllocByID(nil, allocID)
	if err != nil {
		return nil, err
	}
	if a == nil {
		return nil, structs.NewCodedError(404, "alloc not found")
	}
	idx := f.nextIndex()
	eval := mock.Eval(a.Job)
	eval.TriggeredBy = structs.EvalTriggerAllocStop
	if err := f.store.StopAlloc(idx, allocID, "stopped", 1, []*structs.Evaluation{eval}); err != nil {
		return nil, err
	}
	return &structs.AllocStopResponse{EvalID: eval.ID, Index: idx}, nil
}

func (c *fakeClient) record(allocID string, call string) error {
	if allocID != fakeAllocID {
		return fmt.Errorf("allocation %s: %w", allocID, structs.ErrNotFound)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, call)
	return nil
}

func (c *fakeClient) Signal(allocID, task, signal string) error {
	return c.record(allocID, fmt.Sprintf("signal %q %s", task, signal))
}

func (c *fakeClient) Restart(allocID, task string, allTasks bool) error {
	return c.record(allocID, fmt.Sprintf("restart %q %v", task, allTasks))
}

func (c *fakeClient) AllocStats(allocID string) (*structs.AllocResourceUsage, error) {
	if err := c.record(allocID, "stats"); err != nil {
		return nil, err
	}
	ru := &structs.ResourceUsage{MemoryStats: &structs.MemoryStats{RSS: 1 << 20, Measured: []string{"RSS"}},
		CpuStats: &structs.CpuStats{Percent: 10, TotalTicks: 200, Measured: []string{"Percent"}}}
	return &structs.AllocResourceUsage{ResourceUsage: ru, Timestamp: 7,
		Tasks: map[string]*structs.TaskResourceUsage{"web": {ResourceUsage: ru, Timestamp: 7}}}, nil
}

func (c *fakeClient) lastCall() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.calls) == 0 {
		return ""
	}
	return c.calls[len(c.calls)-1]
}

func TestClientAllocOps(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		name     string
		method   string
		path     string
		body     string
		wantCode int
		wantCall string
		wantBody string
	}{
		{"signal task", "PUT", "/v1/client/allocation/" + fakeAllocID + "/signal", `{"Task":"web","Signal":"SIGHUP"}`, 200, `signal "web" SIGHUP`, "{}"},
		{"signal defaults to SIGKILL", "POST", "/v1/client/allocation/" + fakeAllocID + "/signal", `{}`, 200, `signal "" SIGKILL`, "{}"},
		{"signal bad json", "PUT", "/v1/client/allocation/" + fakeAllocID + "/signal", `{"Task":`, 400, "", "failed to parse request"},
		{"signal unknown alloc", "PUT", "/v1/client/allocation/nope/signal", `{}`, 404, "", "not found"},
		{"restart task", "PUT", "/v1/client/allocation/" + fakeAllocID + "/restart", `{"TaskName":"web"}`, 200, `restart "web" false`, "{}"},
		{"restart all", "PUT", "/v1/client/allocation/" + fakeAllocID + "/restart", `{"AllTasks":true}`, 200, `restart "" true`, "{}"},
		{"restart empty body", "POST", "/v1/client/allocation/" + fakeAllocID + "/restart", ``, 200, `restart "" false`, "{}"},
		{"stats", "GET", "/v1/client/allocation/" + fakeAllocID + "/stats", ``, 200, "stats",
			`"Tasks":{"web":{"ResourceUsage":{"MemoryStats":{"RSS":1048576`},
		{"stats wrong method", "PUT", "/v1/client/allocation/" + fakeAllocID + "/stats", ``, 405, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, raw := h.do(t, tc.method, tc.path, tc.body)
			body := string(raw)
			if resp.StatusCode != tc.wantCode {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.wantCode, body)
			}
			if tc.wantCall != "" && h.client.lastCall() != tc.wantCall {
				t.Fatalf("client call = %q, want %q", h.client.lastCall(), tc.wantCall)
			}
			if !strings.Contains(body, tc.wantBody) {
				t.Fatalf("body %s lacks %s", body, tc.wantBody)
			}
		})
	}
}

func TestAllocStopEndpoint(t *testing.T) {
	h := newHarness(t)
	job := mock.Job()
	a := mock.Alloc(job, mock.Node(), 0)
	if err := h.srv.store.UpsertJob(h.srv.nextIndex(), job, nil); err != nil {
		t.Fatal(err)
	}
	if err := h.srv.store.UpsertAllocs(h.srv.nextIndex(), []*structs.Allocation{a}); err != nil {
		t.Fatal(err)
	}
	resp, raw := h.do(t, "PUT", "/v1/allocation/"+a.ID+"/stop", nil)
	if body := string(raw); resp.StatusCode != 200 || !strings.Contains(body, `"EvalID":"`) || !strings.Contains(body, `"Index":`) {
		t.Fatalf("stop: %d %s", resp.StatusCode, raw)
	}
	if got := resp.Header.Get("X-Nomad-Index"); got == "" || got == "0" {
		t.Fatalf("X-Nomad-Index = %q", got)
	}
	if stopped, _ := h.srv.store.AllocByID(nil, a.ID); stopped.DesiredStatus != structs.AllocDesiredStatusStop {
		t.Fatalf("alloc desired status %q", stopped.DesiredStatus)
	}
	if resp, body := h.do(t, "POST", "/v1/allocation/nope/stop", nil); resp.StatusCode != 404 {
		t.Fatalf("unknown alloc: %d %s", resp.StatusCode, body)
	}
}
