package command

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/drover-project/drover/api"
	"github.com/drover-project/drover/structs"
)

func TestNodeDrain(t *testing.T) {
	hour := `"Deadline":` + itoa(int64(time.Hour))
	cases := []struct {
		name     string
		args     []string
		stdin    string
		code     int
		wantOut  string
		wantErr  string
		wantBody string
	}{
		{"enable detached", []string{"-enable", "-yes", "-detach", "c0f"}, "", 0,
			`Node "` + nodeID + `" drain strategy set`, "", hour + `,"IgnoreSystemJobs":false},"MarkEligible":false`},
		{"deadline and ignore-system", []string{"-enable", "-yes", "-detach", "-deadline", "5m", "-ignore-system", "c0f"}, "", 0,
			"drain strategy set", "", `"Deadline":` + itoa(int64(5*time.Minute)) + `,"IgnoreSystemJobs":true`},
		{"force", []string{"-enable", "-yes", "-detach", "-force", "c0f"}, "", 0, "drain strategy set", "", `"Deadline":-1`},
		{"no deadline", []string{"-enable", "-yes", "-detach", "-no-deadline", "c0f"}, "", 0, "drain strategy set", "", `"Deadline":0`},
		{"disable", []string{"-disable", "-yes", "c0f"}, "", 0, "drain strategy unset", "", `"DrainSpec":null,"MarkEligible":true`},
		{"disable keep ineligible", []string{"-disable", "-yes", "-keep-ineligible", "c0f"}, "", 0, "drain strategy unset", "", `"MarkEligible":false`},
		{"confirmed", []string{"-enable", "-detach", "c0f"}, "y\n", 0, "Are you sure you want to enable drain mode", "", hour},
		{"declined", []string{"-enable", "-detach", "c0f"}, "n\n", 0, "Canceling drain toggle", "", ""},
		{"neither", []string{"c0f"}, "", 1, "", "exactly one of the '-enable' or '-disable'", ""},
		{"force and deadline", []string{"-enable", "-force", "-deadline", "1m", "c0f"}, "", 1, "", "only one of", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAgent(t)
			serveNode(f)
			f.json("PUT /v1/node/{id}/drain", &api.NodeDrainUpdateResponse{Index: 11})
			r := runCLI(f.srv.URL, tc.stdin, append([]string{"node", "drain"}, tc.args...)...)
			if r.code != tc.code || !strings.Contains(r.out, tc.wantOut) || !strings.Contains(r.err, tc.wantErr) {
				t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.out, r.err)
			}
			drained := f.requested("PUT /v1/node/" + nodeID + "/drain")
			if tc.wantBody == "" {
				if drained {
					t.Fatalf("drain requested: %v", f.bodies)
				}
				return
			}
			if !strings.Contains(strings.Join(f.bodies, ""), tc.wantBody) {
				t.Errorf("bodies %v lack %s", f.bodies, tc.wantBody)
			}
		})
	}
}

// TestNodeDrainMonitor follows a drain: an allocation is marked, then
// stops, then the node's drain strategy is gone.
func TestNodeDrainMonitor(t *testing.T) {
	f := newFakeAgent(t)
	serveNode(f)
	f.json("PUT /v1/node/{id}/drain", &api.NodeDrainUpdateResponse{Index: 11})
	yes := true
	marked := fixtureAlloc(structs.AllocClientStatusRunning)
	marked.DesiredTransition.Migrate = &yes
	stopped := marked.Copy()
	stopped.DesiredStatus, stopped.ClientStatus = structs.AllocDesiredStatusStop, structs.AllocClientStatusComplete
	f.seq("GET /v1/node/{id}/allocations", []*structs.Allocation{marked}, []*structs.Allocation{stopped})
	draining := fixtureNode()
	draining.Drain = true
	draining.DrainStrategy = structs.NewDrainStrategy(structs.DrainSpec{Deadline: time.Hour}, now)
	f.seq("GET /v1/node/{id}", draining, fixtureNode())

	r := f.run("node", "drain", "-enable", "-yes", "c0f")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	for _, want := range []string{
		"Ctrl-C to stop monitoring",
		`Alloc "` + marked.ID + `" draining`,
		`Alloc "` + marked.ID + `" status running -> complete`,
		"Drain complete for node " + nodeID,
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.out)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestDrainSummary(t *testing.T) {
	n := fixtureNode()
	if got := drainSummary(n); got != "false" {
		t.Errorf("not draining: %q", got)
	}
	n.Drain = true
	n.DrainStrategy = structs.NewDrainStrategy(structs.DrainSpec{}, now)
	if got := drainSummary(n); got != "true; no deadline" {
		t.Errorf("no deadline: %q", got)
	}
	n.DrainStrategy = structs.NewDrainStrategy(structs.DrainSpec{Deadline: time.Hour}, now)
	if got := drainSummary(n); got != "true; deadline "+formatTime(now.Add(time.Hour)) {
		t.Errorf("deadline: %q", got)
	}
}
