package httpapi

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/drover-project/drover/structs/mock"
)

func TestStatus(t *testing.T) {
	h := newHarness(t)
	var leader string
	h.getJSON(t, "/v1/status/leader", &leader)
	if leader != "127.0.0.1:4647" {
		t.Fatalf("leader %q", leader)
	}
	var peers []string
	h.getJSON(t, "/v1/status/peers", &peers)
	if len(peers) != 1 || peers[0] != "127.0.0.1:4647" {
		t.Fatalf("peers %v", peers)
	}
}

func TestAgentSelf(t *testing.T) {
	h := newHarness(t)
	var self struct {
		Config map[string]interface{}       `json:"config"`
		Member AgentMember                  `json:"member"`
		Stats  map[string]map[string]string `json:"stats"`
	}
	_, body := h.do(t, http.MethodGet, "/v1/agent/self", nil)
	requireKeys(t, body, "config", "member", "stats")
	mustUnmarshal(t, body, &self)
	if self.Config["Datacenter"] != "dc1" || self.Member.Name != "agent-1.global" || self.Member.Tags["role"] != "nomad" {
		t.Fatalf("self: %+v", self)
	}
	if self.Stats["raft"]["state"] != "Leader" {
		t.Fatalf("stats: %+v", self.Stats)
	}

	bare := newHarness(t, func(c *Config) { c.Self = nil })
	_, body = bare.do(t, http.MethodGet, "/v1/agent/self", nil)
	if !strings.Contains(string(body), `"config":{}`) {
		t.Fatalf("without Self: %s", body)
	}
}

func TestAgentHealth(t *testing.T) {
	cases := []struct {
		name       string
		leader     string
		noClient   bool
		registered bool
		code       int
		server     bool
		client     string // "ok", "bad" or "" (absent)
	}{
		{"healthy", "127.0.0.1:4647", false, true, 200, true, "ok"},
		{"no leader", "", false, true, 500, false, "ok"},
		{"client not registered", "127.0.0.1:4647", false, false, 500, true, "bad"},
		{"server only", "127.0.0.1:4647", true, false, 200, true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, func(c *Config) {
				if tc.noClient {
					c.Client = nil
				}
			})
			h.srv.setLeader(tc.leader)
			if tc.registered {
				n := mock.Node()
				n.ID = h.client.nodeID
				must(t, h.srv.store.UpsertNode(h.srv.nextIndex(), n))
			}
			resp, body := h.do(t, http.MethodGet, "/v1/agent/health", nil)
			var got agentHealthResponse
			mustUnmarshal(t, body, &got)
			if resp.StatusCode != tc.code || got.Server == nil || got.Server.OK != tc.server {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
			switch tc.client {
			case "":
				if got.Client != nil {
					t.Fatalf("client health without a client: %s", body)
				}
			default:
				if got.Client == nil || got.Client.OK != (tc.client == "ok") {
					t.Fatalf("client health: %s", body)
				}
			}
			requireKeys(t, body, "server")
		})
	}
}

func TestMetrics(t *testing.T) {
	now := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	h := newHarness(t, func(c *Config) { c.Now = func() time.Time { return now } })
	h.seedJob(t) // a job with a running and a failed allocation
	h.registerJob(t, mock.Job())

	var m metricsSummary
	_, body := h.do(t, http.MethodGet, "/v1/metrics", nil)
	requireKeys(t, body, "Timestamp", "Gauges", "Counters", "Samples", "Points")
	mustUnmarshal(t, body, &m)
	if m.Timestamp != "2025-03-04 05:06:07 +0000 UTC" {
		t.Fatalf("timestamp %q", m.Timestamp)
	}
	if m.Counters == nil || m.Samples == nil {
		t.Fatalf("counters/samples must be lists: %s", body)
	}
	gauge := func(name, label, value string) float32 {
		for _, g := range m.Gauges {
			if g.Name == name && (label == "" || g.Labels[label] == value) {
				return g.Value
			}
		}
		t.Fatalf("no gauge %s{%s=%s} in %s", name, label, value, body)
		return 0
	}
	want := []struct {
		name, label, value string
		v                  float32
	}{
		{"nomad.nomad.job_status.running", "", "", 1},
		{"nomad.nomad.job_status.pending", "", "", 1},
		{"nomad.nomad.job_status.dead", "", "", 0},
		{"nomad.nomad.nodes", "status", "ready", 1},
		{"nomad.nomad.nodes", "status", "down", 0},
		{"nomad.nomad.allocations", "client_status", "complete", 0},
		{"nomad.nomad.allocations", "client_status", "failed", 1},
		{"nomad.nomad.allocations", "client_status", "running", 1},
		{"nomad.nomad.evaluations", "status", "pending", 2},
	}
	for _, w := range want {
		if got := gauge(w.name, w.label, w.value); got != w.v {
			t.Errorf("%s{%s=%q} = %v, want %v", w.name, w.label, w.value, got, w.v)
		}
	}
	if gauge("nomad.runtime.num_goroutines", "", "") < 1 || gauge("nomad.runtime.alloc_bytes", "", "") <= 0 {
		t.Error("runtime gauges empty")
	}

	resp, body := h.do(t, http.MethodGet, "/v1/metrics?format=prometheus", nil)
	text := string(body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("prometheus: %d %v", resp.StatusCode, resp.Header)
	}
	for _, line := range []string{
		"# TYPE nomad_nomad_nodes gauge\n",
		"nomad_nomad_nodes{status=\"ready\"} 1\n",
		"nomad_nomad_allocations{client_status=\"failed\"} 1\n",
		"nomad_nomad_job_status_pending 1\n",
	} {
		if !strings.Contains(text, line) {
			t.Errorf("prometheus text lacks %q:\n%s", line, text)
		}
	}
	if strings.Count(text, "# TYPE nomad_nomad_nodes gauge") != 1 {
		t.Error("TYPE line repeated")
	}
	if resp, _ := h.do(t, http.MethodGet, "/v1/metrics?format=xml", nil); resp.StatusCode != 400 {
		t.Fatalf("unknown format: %d", resp.StatusCode)
	}
}

func TestPromLabelsEscaping(t *testing.T) {
	cases := []struct {
		labels map[string]string
		want   string
	}{
		{nil, ""},
		{map[string]string{"b": "2", "a": "1"}, `{a="1",b="2"}`},
		{map[string]string{"x.y": "q\"\\\n"}, `{x_y="q\"\\\n"}`},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			if got := promLabels(tc.labels); got != tc.want {
				t.Fatalf("got %s want %s", got, tc.want)
			}
		})
	}
	if got := promName("9nomad.run-time"); got != "_nomad_run_time" {
		t.Fatalf("promName: %s", got)
	}
}
