package command

import (
	"strings"
	"testing"

	"github.com/drover-project/drover/api"
	"github.com/drover-project/drover/structs"
)

// serveNode serves the fixture node with one allocation on it.
func serveNode(f *fakeAgent) {
	f.json("GET /v1/nodes", []*structs.NodeListStub{fixtureNode().Stub()})
	f.json("GET /v1/node/{id}", fixtureNode())
	stopped := fixtureAlloc(structs.AllocClientStatusComplete)
	stopped.ID, stopped.DesiredStatus, stopped.CreateIndex = "00000000-dead-4000-8000-000000000000", structs.AllocDesiredStatusStop, 1
	f.json("GET /v1/node/{id}/allocations", []*structs.Allocation{stopped, fixtureAlloc(structs.AllocClientStatusRunning)})
}

func TestNodeStatus(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"node_list", nil},
		{"node_status", []string{"c0f"}},
		{"node_status_verbose", []string{"-verbose", nodeID}},
		{"node_status_self", []string{"-self"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAgent(t)
			serveNode(f)
			f.json("GET /v1/agent/self", &api.AgentSelf{Config: map[string]interface{}{"NodeName": "node-1"}})
			r := f.run(append([]string{"node", "status"}, tc.args...)...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.err)
			}
			golden(t, tc.name, r.out)
		})
	}
}

func TestNodeStatusUnknown(t *testing.T) {
	f := newFakeAgent(t)
	f.json("GET /v1/nodes", []*structs.NodeListStub{})
	r := f.run("node", "status", "ab")
	if r.code != 1 || !strings.Contains(r.err, `No node(s) with prefix "ab" found`) {
		t.Errorf("exit %d, stderr %q", r.code, r.err)
	}
}

func TestNodeEligibility(t *testing.T) {
	cases := []struct {
		name     string
		args     []string
		code     int
		wantOut  string
		wantErr  string
		wantBody string
	}{
		{"disable", []string{"-disable", "c0f"}, 0, `Node "` + nodeID + `" scheduling eligibility set: ineligible for scheduling`, "", `"Eligibility":"ineligible"`},
		{"enable", []string{"-enable", "c0f"}, 0, "eligible for scheduling", "", `"Eligibility":"eligible"`},
		{"neither", []string{"c0f"}, 1, "", "exactly one of the '-enable' or '-disable'", ""},
		{"both", []string{"-enable", "-disable", "c0f"}, 1, "", "exactly one of", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAgent(t)
			serveNode(f)
			f.json("PUT /v1/node/{id}/eligibility", &api.NodeEligibilityUpdateResponse{Index: 11})
			r := f.run(append([]string{"node", "eligibility"}, tc.args...)...)
			if r.code != tc.code || !strings.Contains(r.out, tc.wantOut) || !strings.Contains(r.err, tc.wantErr) {
				t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.out, r.err)
			}
			if tc.wantBody != "" && !strings.Contains(strings.Join(f.bodies, ""), tc.wantBody) {
				t.Errorf("bodies %v lack %s", f.bodies, tc.wantBody)
			}
		})
	}
}

func TestEvalStatus(t *testing.T) {
	cases := []struct {
		name string
		eval *structs.Evaluation
	}{
		{"eval_status", fixtureEval(structs.EvalStatusComplete)},
		{"eval_status_failures", failedEval()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAgent(t)
			f.json("GET /v1/evaluations", []*structs.Evaluation{tc.eval})
			f.json("GET /v1/evaluation/{id}", tc.eval)
			r := f.run("eval", "status", "1f2e")
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.err)
			}
			golden(t, tc.name, r.out)
		})
	}
	f := newFakeAgent(t)
	f.json("GET /v1/evaluations", []*structs.Evaluation{})
	if r := f.run("eval", "status", "zz"); r.code != 1 || !strings.Contains(r.err, `No evaluation(s) with prefix or id "zz" found`) {
		t.Errorf("unknown eval: exit %d, stderr %q", r.code, r.err)
	}
}
