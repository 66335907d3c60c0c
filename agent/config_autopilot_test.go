package agent

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drover-project/drover/agent/httpapi"
	"github.com/drover-project/drover/agent/server"
)

// The server serves the HTTP API's optional operator endpoints.
var _ httpapi.Operator = (*server.Server)(nil)

func TestLoadConfig_Autopilot(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}

	// Unset: the server's defaults stay.
	sc := server.DefaultAutopilotConfig()
	DefaultConfig().Autopilot.apply(&sc)
	if sc != server.DefaultAutopilotConfig() {
		t.Fatalf("an empty autopilot block changed the defaults: %+v", sc)
	}

	c := DefaultConfig()
	p := write("a.hcl", `autopilot {
  cleanup_dead_servers      = false
  server_stabilization_time = "3s"
  last_contact_threshold    = "1s"
  max_trailing_logs         = 10
}`)
	if err := LoadConfigPaths(c, []string{p}); err != nil {
		t.Fatal(err)
	}
	c.Autopilot.apply(&sc)
	want := server.DefaultAutopilotConfig()
	want.CleanupDeadServers, want.ServerStabilizationTime, want.LastContactThreshold, want.MaxTrailingLogs = false, 3*time.Second, time.Second, 10
	if sc != want {
		t.Fatalf("got %+v, want %+v", sc, want)
	}

	for src, msg := range map[string]string{
		`autopilot { server_stabilization_time = "soon" }`: "autopilot.server_stabilization_time",
		`autopilot { max_trailing_logs = -1 }`:             "must not be negative",
		`autopilot { enable_redundancy_zones = true }`:     "enable_redundancy_zones",
	} {
		err := LoadConfigPaths(DefaultConfig(), []string{write("bad.hcl", src)})
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%s: got %v, want an error mentioning %q", src, err, msg)
		}
	}
}
