package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRemoteClientJoinsOverRPC starts a dev agent and a second, client-only
// agent that reaches it over RPC; a job with distinct_hosts runs on both.
func TestRemoteClientJoinsOverRPC(t *testing.T) {
	a := startDevAgent(t, "")
	dir := t.TempDir()
	cfg := fmt.Sprintf(`name = "remote"
data_dir = %q
bind_addr = "127.0.0.1"
ports {
  http = %d
}
client {
  enabled = true
  servers = [%q]
}
plugin "raw_exec" {
  config {
    enabled = true
  }
}
`, filepath.Join(dir, "data"), freePorts(t, 1)[0], a.rpcAddr())
	cfgPath := filepath.Join(dir, "client.hcl")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(a.bin, "agent", "-config", cfgPath)
	log := &lockedWriter{w: new(strings.Builder)}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("remote client log:\n%s", log.String())
		}
	}()

	waitFor(t, 30*time.Second, func() error {
		var nodes []map[string]interface{}
		if err := a.getJSON("/v1/nodes", &nodes); err != nil {
			return err
		}
		ready := 0
		for _, n := range nodes {
			if n["Status"] == "ready" {
				ready++
			}
		}
		if ready != 2 {
			return fmt.Errorf("%d ready nodes", ready)
		}
		return nil
	})

	job := `job "spread" {
  group "g" {
    count = 2
    constraint {
      distinct_hosts = true
    }
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["300"]
      }
      resources {
        cpu    = 10
        memory = 16
      }
    }
  }
}
`
	jobDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(jobDir, "spread.hcl"), []byte(job), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, code := a.cli(jobDir, "job", "run", "spread.hcl"); code != 0 {
		t.Fatalf("job run: %d\n%s", code, out)
	}
	waitFor(t, 30*time.Second, func() error {
		var allocs []struct {
			NodeID       string
			ClientStatus string
		}
		if err := a.getJSON("/v1/job/spread/allocations", &allocs); err != nil {
			return err
		}
		nodes := map[string]bool{}
		for _, al := range allocs {
			if al.ClientStatus == "running" {
				nodes[al.NodeID] = true
			}
		}
		if len(nodes) != 2 {
			return fmt.Errorf("running on %d nodes: %+v", len(nodes), allocs)
		}
		return nil
	})
	if out, code := a.cli(jobDir, "job", "stop", "spread"); code != 0 {
		t.Fatalf("job stop: %d\n%s", code, out)
	}
}
