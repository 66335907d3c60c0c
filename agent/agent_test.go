package agent

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/drover-project/drover/structs"
)

func startTestAgent(t *testing.T) (*Agent, string) {
	t.Helper()
	cfg := DevConfig()
	cfg.Ports.HTTP = 0
	cfg.Ports.RPC = 0
	cfg.LogLevel = "warn"
	var logs bytes.Buffer
	a, err := New(cfg, &logs)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := a.Shutdown(); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if t.Failed() {
			t.Logf("agent logs:\n%s", logs.String())
		}
	})
	return a, "http://" + a.HTTPAddr()
}

func getJSON(t *testing.T, url string, out interface{}) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %s %s", url, resp.Status, body)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatal(err)
	}
}

func eventually(t *testing.T, timeout time.Duration, fn func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var err error
	for time.Now().Before(deadline) {
		if err = fn(); err == nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("not true after %s: %v", timeout, err)
}

// TestDevAgent_RunsRawExecJob drives a dev agent through its HTTP API:
// register a raw_exec job, see it run, read its log, stop it.
func TestDevAgent_RunsRawExecJob(t *testing.T) {
	a, addr := startTestAgent(t)
	if a.Server() == nil || a.Client() == nil {
		t.Fatal("dev agent must run both roles")
	}
	eventually(t, 10*time.Second, func() error {
		var nodes []*structs.NodeListStub
		getJSON(t, addr+"/v1/nodes", &nodes)
		if len(nodes) != 1 || nodes[0].Status != structs.NodeStatusReady {
			return fmt.Errorf("nodes: %+v", nodes)
		}
		if !nodes[0].Drivers["raw_exec"].Healthy {
			return fmt.Errorf("raw_exec not healthy")
		}
		return nil
	})

	job := map[string]interface{}{"Job": map[string]interface{}{
		"ID": "hello", "Type": "batch", "Datacenters": []string{"*"},
		"TaskGroups": []interface{}{map[string]interface{}{
			"Name": "g", "Count": 1,
			"Tasks": []interface{}{map[string]interface{}{
				"Name": "t", "Driver": "raw_exec",
				"Config":    map[string]interface{}{"command": "/bin/sh", "args": []string{"-c", "echo hello from $NOMAD_TASK_NAME; sleep 30"}},
				"Resources": map[string]interface{}{"CPU": 50, "MemoryMB": 32},
			}},
		}},
	}}
	body, _ := json.Marshal(job)
	resp, err := http.Post(addr+"/v1/jobs", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var reg structs.JobRegisterResponse
	if err := json.NewDecoder(resp.Body).Decode(&reg); err != nil || resp.StatusCode != 200 {
		t.Fatalf("register: %s %v", resp.Status, err)
	}
	resp.Body.Close()
	if reg.EvalID == "" {
		t.Fatal("no eval ID")
	}

	var allocID string
	eventually(t, 15*time.Second, func() error {
		var allocs []*structs.AllocListStub
		getJSON(t, addr+"/v1/job/hello/allocations", &allocs)
		if len(allocs) != 1 || allocs[0].ClientStatus != structs.AllocClientStatusRunning {
			return fmt.Errorf("allocs: %+v", allocs)
		}
		allocID = allocs[0].ID
		return nil
	})
	eventually(t, 10*time.Second, func() error {
		resp, err := http.Get(addr + "/v1/client/fs/logs/" + allocID + "?task=t&type=stdout&plain=true")
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if !strings.Contains(string(b), "hello from t") {
			return fmt.Errorf("log %q", b)
		}
		return nil
	})

	req, _ := http.NewRequest(http.MethodDelete, addr+"/v1/job/hello", nil)
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("deregister: %v %v", resp, err)
	}
	resp.Body.Close()
	eventually(t, 15*time.Second, func() error {
		var alloc structs.Allocation
		getJSON(t, addr+"/v1/allocation/"+allocID, &alloc)
		if alloc.ClientStatus != structs.AllocClientStatusComplete || alloc.DesiredStatus != structs.AllocDesiredStatusStop {
			return fmt.Errorf("alloc %s/%s", alloc.DesiredStatus, alloc.ClientStatus)
		}
		if ts := alloc.TaskStates["t"]; ts == nil || ts.State != structs.TaskStateDead {
			return fmt.Errorf("task state %+v", ts)
		}
		return nil
	})
}
