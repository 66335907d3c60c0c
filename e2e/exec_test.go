package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestExecJobIsolated runs an exec-driver job on a dev agent: the task is
// pid 1 in its own pid namespace, runs as nobody, and an OOM kill is
// reported on its Terminated event.
func TestExecJobIsolated(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the exec driver needs root")
	}
	a := startDevAgent(t, "")
	dir := t.TempDir()
	job := `job "iso" {
  type = "batch"
  group "g" {
    restart {
      attempts = 0
      mode     = "fail"
    }
    task "ps" {
      driver = "exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo pid=$$ user=$(id -un) procs=$(ls -d /proc/[0-9]* | wc -l)"]
      }
      resources {
        memory = 32
      }
    }
    task "hog" {
      driver = "exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "x=$(head -c 200M /dev/zero | tr '\\0' a)"]
      }
      resources {
        memory = 32
      }
    }
  }
}
`
	if err := os.WriteFile(filepath.Join(dir, "iso.hcl"), []byte(job), 0o644); err != nil {
		t.Fatal(err)
	}
	out, code := a.cli(dir, "job", "run", "-detach", "iso.hcl")
	if code != 0 {
		t.Fatalf("job run: %d\n%s", code, out)
	}
	var allocID string
	waitFor(t, 60*time.Second, func() error {
		var allocs []allocStub
		if err := a.getJSON("/v1/job/iso/allocations", &allocs); err != nil {
			return err
		}
		// The OOM fails the alloc; a batch job replaces a failed alloc
		// once, so there may be two. Any failed one tells the story.
		for _, al := range allocs {
			if al.ClientStatus == "failed" {
				allocID = al.ID
				return nil
			}
		}
		return fmt.Errorf("no failed alloc yet: %+v", allocs)
	})
	logs, code := a.cli(dir, "alloc", "logs", allocID, "ps")
	var procs int
	if code != 0 || !strings.Contains(logs, "pid=1 user=nobody") {
		t.Fatalf("exec task not isolated as expected: %d %q", code, logs)
	}
	// The shell, its command substitution, ls and wc: a handful, never the
	// host's hundreds.
	if _, err := fmt.Sscanf(logs[strings.Index(logs, "procs="):], "procs=%d", &procs); err != nil || procs > 8 {
		t.Fatalf("task sees %d processes (%v): %q", procs, err, logs)
	}
	status, _ := a.cli(dir, "alloc", "status", allocID)
	if !strings.Contains(status, "OOM Killed") {
		t.Fatalf("alloc status does not report the OOM kill:\n%s", status)
	}
}
