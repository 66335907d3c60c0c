package agent

import (
	"strings"
	"testing"
	"time"
)

// TestLoadConfig_HeartbeatTimers reads server { min_heartbeat_ttl
// heartbeat_grace } in HCL and JSON and rejects values that are not
// positive durations.
func TestLoadConfig_HeartbeatTimers(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ file, body string }{
		{"hb.hcl", "server {\n  min_heartbeat_ttl = \"2s\"\n  heartbeat_grace = \"1500ms\"\n}\n"},
		{"hb.json", `{"server": {"min_heartbeat_ttl": "2s", "heartbeat_grace": "1500ms"}}`},
	} {
		c := DefaultConfig()
		if err := LoadConfigPaths(c, []string{writeFile(t, dir, tc.file, tc.body)}); err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if c.Server.MinHeartbeatTTL != 2*time.Second || c.Server.HeartbeatGrace != 1500*time.Millisecond {
			t.Fatalf("%s: ttl %s grace %s", tc.file, c.Server.MinHeartbeatTTL, c.Server.HeartbeatGrace)
		}
	}

	c := DefaultConfig()
	if err := LoadConfigPaths(c, []string{writeFile(t, dir, "none.hcl", "server {\n  enabled = true\n}\n")}); err != nil {
		t.Fatal(err)
	}
	if c.Server.MinHeartbeatTTL != 0 || c.Server.HeartbeatGrace != 0 {
		t.Fatalf("unset timers must stay zero (server defaults apply): %+v", c.Server)
	}

	for _, bad := range []struct{ body, want string }{
		{"server {\n  min_heartbeat_ttl = \"soon\"\n}\n", "server.min_heartbeat_ttl \"soon\""},
		{"server {\n  heartbeat_grace = \"-1s\"\n}\n", "server.heartbeat_grace \"-1s\""},
		{"server {\n  heartbeat_grace = \"0s\"\n}\n", "server.heartbeat_grace \"0s\""},
	} {
		err := LoadConfigPaths(DefaultConfig(), []string{writeFile(t, dir, "bad.hcl", bad.body)})
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: error %v, want one containing %s", bad.body, err, bad.want)
		}
	}
}
