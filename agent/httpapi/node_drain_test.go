package httpapi

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

func TestNodeDrain(t *testing.T) {
	h := newHarness(t)
	node := mock.Node()
	must(t, h.srv.store.UpsertNode(h.srv.nextIndex(), node))
	path := "/v1/node/" + node.ID + "/drain"

	// Nomad's client sends the spec with Deadline in nanoseconds.
	resp, body := h.do(t, http.MethodPut, path, map[string]interface{}{
		"NodeID": node.ID, "DrainSpec": map[string]interface{}{"Deadline": int64(time.Hour), "IgnoreSystemJobs": true}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	requireKeys(t, body, "NodeModifyIndex", "EvalIDs", "EvalCreateIndex", "Index")
	_, body = h.do(t, http.MethodGet, "/v1/node/"+node.ID, nil)
	requireKeys(t, body, "Drain", "DrainStrategy", "SchedulingEligibility")
	var got structs.Node
	mustUnmarshal(t, body, &got)
	ds := got.DrainStrategy
	if !got.Drain || ds == nil || ds.Deadline != time.Hour || !ds.IgnoreSystemJobs ||
		ds.ForceDeadline.Sub(ds.StartedAt) != time.Hour || got.SchedulingEligibility != structs.NodeSchedulingIneligible {
		t.Fatalf("node after drain: drain %v strategy %+v eligibility %s", got.Drain, ds, got.SchedulingEligibility)
	}
	requireKeys(t, mustJSONField(t, body, "DrainStrategy"), "Deadline", "IgnoreSystemJobs", "ForceDeadline", "StartedAt")

	resp, body = h.do(t, http.MethodPut, path, map[string]interface{}{"DrainSpec": nil, "MarkEligible": true})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	stored, _ := h.srv.store.NodeByID(nil, node.ID)
	if stored.Drain || stored.DrainStrategy != nil || stored.SchedulingEligibility != structs.NodeSchedulingEligible {
		t.Fatalf("after disable: drain %v strategy %+v eligibility %s", stored.Drain, stored.DrainStrategy, stored.SchedulingEligibility)
	}

	cases := []struct {
		name, path string
		body       interface{}
		code       int
	}{
		{"bad json", path, "{", 400},
		{"node mismatch", path, map[string]string{"NodeID": "other"}, 400},
		{"unknown node", "/v1/node/nope/drain", map[string]interface{}{"DrainSpec": map[string]int{"Deadline": 0}}, 404},
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

// mustJSONField returns the raw JSON of body's top-level field name.
func mustJSONField(t *testing.T, body []byte, name string) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	mustUnmarshal(t, body, &m)
	raw, ok := m[name]
	if !ok {
		t.Fatalf("no field %q in %s", name, body)
	}
	return raw
}
