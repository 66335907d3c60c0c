package httpapi

import (
	"net/http"
	"testing"

	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

func TestAllocations(t *testing.T) {
	h := newHarness(t)
	_, _, allocs := h.seedJob(t)

	var stubs []*structs.AllocListStub
	h.getJSON(t, "/v1/allocations", &stubs)
	if len(stubs) != 2 {
		t.Fatalf("%d allocs", len(stubs))
	}
	h.getJSON(t, "/v1/allocations?prefix="+allocs[1].ID[:8], &stubs)
	if len(stubs) != 1 || stubs[0].ID != allocs[1].ID {
		t.Fatalf("prefix: %+v", stubs)
	}
	h.getJSON(t, "/v1/allocations?namespace=other", &stubs)
	if len(stubs) != 0 {
		t.Fatalf("other namespace: %+v", stubs)
	}

	var alloc structs.Allocation
	resp := h.getJSON(t, "/v1/allocation/"+allocs[0].ID, &alloc)
	if alloc.ID != allocs[0].ID || alloc.Job == nil || alloc.Job.ID != allocs[0].JobID {
		t.Fatalf("alloc: %+v", alloc)
	}
	if resp.Header.Get("X-Nomad-Index") == "0" {
		t.Fatal("index 0")
	}
	_, body := h.do(t, http.MethodGet, "/v1/allocation/"+allocs[0].ID, nil)
	requireKeys(t, body, "ID", "Job", "TaskGroup", "AllocatedResources", "ClientStatus", "TaskStates", "AllocModifyIndex")
	resp, body = h.do(t, http.MethodGet, "/v1/allocation/nope", nil)
	if resp.StatusCode != http.StatusNotFound || string(body) != "alloc not found" {
		t.Fatalf("missing alloc: %d %s", resp.StatusCode, body)
	}
}

func TestEvaluations(t *testing.T) {
	h := newHarness(t)
	job := mock.Job()
	reg := h.registerJob(t, job)
	node := mock.Node()
	must(t, h.srv.store.UpsertNode(h.srv.nextIndex(), node))
	stored, _ := h.srv.store.JobByID(nil, job.Namespace, job.ID)
	a := mock.Alloc(stored, node, 0)
	a.EvalID = reg.EvalID
	must(t, h.srv.store.UpsertAllocs(h.srv.nextIndex(), []*structs.Allocation{a}))

	var evals []*structs.Evaluation
	h.getJSON(t, "/v1/evaluations", &evals)
	if len(evals) != 1 || evals[0].ID != reg.EvalID {
		t.Fatalf("evals: %+v", evals)
	}
	h.getJSON(t, "/v1/evaluations?prefix="+reg.EvalID[:4], &evals)
	if len(evals) != 1 {
		t.Fatalf("prefix: %+v", evals)
	}
	h.getJSON(t, "/v1/evaluations?prefix=zz", &evals)
	if len(evals) != 0 {
		t.Fatalf("non-matching prefix: %+v", evals)
	}

	var eval structs.Evaluation
	h.getJSON(t, "/v1/evaluation/"+reg.EvalID, &eval)
	if eval.JobID != job.ID || eval.Status != structs.EvalStatusPending {
		t.Fatalf("eval: %+v", eval)
	}
	_, body := h.do(t, http.MethodGet, "/v1/evaluation/"+reg.EvalID, nil)
	requireKeys(t, body, "ID", "Priority", "Type", "TriggeredBy", "JobID", "Status", "CreateIndex", "ModifyIndex")

	var stubs []*structs.AllocListStub
	h.getJSON(t, "/v1/evaluation/"+reg.EvalID+"/allocations", &stubs)
	if len(stubs) != 1 || stubs[0].ID != a.ID {
		t.Fatalf("eval allocs: %+v", stubs)
	}
	resp, body := h.do(t, http.MethodGet, "/v1/evaluation/nope", nil)
	if resp.StatusCode != http.StatusNotFound || string(body) != "eval not found" {
		t.Fatalf("missing eval: %d %s", resp.StatusCode, body)
	}
}

func TestNodes(t *testing.T) {
	h := newHarness(t)
	_, node, _ := h.seedJob(t)
	other := mock.Node()
	must(t, h.srv.store.UpsertNode(h.srv.nextIndex(), other))

	var stubs []*structs.NodeListStub
	h.getJSON(t, "/v1/nodes", &stubs)
	if len(stubs) != 2 {
		t.Fatalf("%d nodes", len(stubs))
	}
	h.getJSON(t, "/v1/nodes?prefix="+node.ID[:6], &stubs)
	if len(stubs) != 1 || stubs[0].ID != node.ID || stubs[0].Address != "127.0.0.1" {
		t.Fatalf("prefix: %+v", stubs)
	}
	_, body := h.do(t, http.MethodGet, "/v1/nodes", nil)
	requireKeys(t, body, "Address", "ID", "Datacenter", "Name", "NodeClass", "Version", "Drain", "SchedulingEligibility", "Status", "Drivers")

	_, body = h.do(t, http.MethodGet, "/v1/node/"+node.ID, nil)
	requireKeys(t, body, "ID", "Datacenter", "Attributes", "NodeResources", "Status", "SchedulingEligibility", "Drivers")
	var raw map[string]interface{}
	mustUnmarshal(t, body, &raw)
	if _, leaked := raw["SecretID"]; leaked {
		t.Fatal("node SecretID served over HTTP")
	}

	var allocs []*structs.Allocation
	h.getJSON(t, "/v1/node/"+node.ID+"/allocations", &allocs)
	if len(allocs) != 2 || allocs[0].Job == nil {
		t.Fatalf("node allocs: %d", len(allocs))
	}
	h.getJSON(t, "/v1/node/"+other.ID+"/allocations", &allocs)
	if len(allocs) != 0 {
		t.Fatalf("other node allocs: %d", len(allocs))
	}
	resp, body := h.do(t, http.MethodGet, "/v1/node/nope", nil)
	if resp.StatusCode != http.StatusNotFound || string(body) != "node not found" {
		t.Fatalf("missing node: %d %s", resp.StatusCode, body)
	}
}

func TestNodeEligibility(t *testing.T) {
	h := newHarness(t)
	node := mock.Node()
	must(t, h.srv.store.UpsertNode(h.srv.nextIndex(), node))
	path := "/v1/node/" + node.ID + "/eligibility"

	resp, body := h.do(t, http.MethodPut, path, map[string]string{"NodeID": node.ID, "Eligibility": "ineligible"})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	requireKeys(t, body, "EvalIDs", "EvalCreateIndex", "NodeModifyIndex", "Index")
	var out nodeEligibilityResponse
	mustUnmarshal(t, body, &out)
	stored, _ := h.srv.store.NodeByID(nil, node.ID)
	if stored.SchedulingEligibility != structs.NodeSchedulingIneligible || out.NodeModifyIndex != stored.ModifyIndex || out.Index != stored.ModifyIndex {
		t.Fatalf("response %+v, node %q at %d", out, stored.SchedulingEligibility, stored.ModifyIndex)
	}

	cases := []struct {
		name, path string
		body       interface{}
		code       int
	}{
		{"bad json", path, "{", 400},
		{"bad value", path, map[string]string{"Eligibility": "maybe"}, 400},
		{"node mismatch", path, map[string]string{"NodeID": "other", "Eligibility": "eligible"}, 400},
		{"unknown node", "/v1/node/nope/eligibility", map[string]string{"Eligibility": "eligible"}, 404},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := h.do(t, http.MethodPost, tc.path, tc.body)
			if resp.StatusCode != tc.code {
				t.Fatalf("%d %s, want %d", resp.StatusCode, body, tc.code)
			}
		})
	}
}
