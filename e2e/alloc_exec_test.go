package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestAllocExec runs `drover alloc exec` against a dev agent's running
// tasks, which run under task supervisors: output, exit codes and stdin
// through the websocket for a raw_exec task, and, as root, an exec-driver
// task's isolation seen from the exec'd command.
func TestAllocExec(t *testing.T) {
	a := startDevAgent(t, "")
	dir := t.TempDir()
	execTask := ""
	if os.Geteuid() == 0 {
		execTask = `
    task "iso" {
      driver = "exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "exec sleep 300"]
      }
      resources {
        memory = 32
      }
    }`
	}
	job := `job "ex" {
  group "g" {
    task "raw" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo inside > marker; exec sleep 300"]
      }
      env {
        GREETING = "hello"
      }
    }` + execTask + `
  }
}
`
	if err := os.WriteFile(filepath.Join(dir, "ex.hcl"), []byte(job), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, code := a.cli(dir, "job", "run", "-detach", "ex.hcl"); code != 0 {
		t.Fatalf("job run: %d\n%s", code, out)
	}
	defer a.cli(dir, "job", "stop", "ex")
	var allocID string
	waitFor(t, 60*time.Second, func() error {
		var allocs []allocStub
		if err := a.getJSON("/v1/job/ex/allocations", &allocs); err != nil {
			return err
		}
		for _, al := range allocs {
			if al.ClientStatus == "running" {
				allocID = al.ID
				return nil
			}
		}
		return fmt.Errorf("no running alloc yet: %+v", allocs)
	})
	// The task's directory has its marker once its command ran.
	waitFor(t, 30*time.Second, func() error {
		out, code := a.cli(dir, "alloc", "exec", "-task", "raw", allocID, "cat", "marker")
		if code != 0 || out != "inside\n" {
			return fmt.Errorf("cat marker: %d %q", code, out)
		}
		return nil
	})

	cases := []struct {
		name     string
		args     []string
		stdin    string
		wantCode int
		wantOut  string
	}{
		{"echo", []string{"-task", "raw", allocID, "echo", "hi"}, "", 0, "hi\n"},
		{"exit code", []string{"-task", "raw", allocID[:8], "sh", "-c", "echo $GREETING; exit 3"}, "", 3, "hello\n"},
		{"stdin through cat", []string{"-task", "raw", allocID, "cat"}, "line one\nline two\n", 0, "line one\nline two\n"},
		{"no stdin with -i=false", []string{"-i=false", "-task", "raw", allocID, "cat"}, "ignored\n", 0, ""},
		{"unknown task", []string{"-task", "nope", allocID, "true"}, "", 1, "Could not find task named: nope\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, code := a.cliStdin(dir, tc.stdin, append([]string{"alloc", "exec"}, tc.args...)...)
			if code != tc.wantCode || out != tc.wantOut {
				t.Fatalf("alloc exec: code %d output %q, want %d %q", code, out, tc.wantCode, tc.wantOut)
			}
		})
	}
	out, code := a.cli(dir, "alloc", "exec", allocID, "true")
	if execTask != "" && (code != 1 || !strings.Contains(out, "Please specify the task")) {
		t.Fatalf("exec without -task in a two-task alloc: %d %q", code, out)
	}

	if execTask == "" {
		t.Log("not root: exec driver part skipped")
		return
	}
	out, code = a.cli(dir, "alloc", "exec", "-task", "iso", allocID, "/bin/sh", "-c",
		`for f in /proc/[0-9]*; do echo ${f#/proc/}; done; echo user=$(id -un)`)
	lines := strings.Fields(out)
	if code != 0 || len(lines) < 2 || lines[len(lines)-1] != "user=nobody" || lines[0] != "1" {
		t.Fatalf("exec into the exec task: %d %q", code, out)
	}
	for _, p := range lines[:len(lines)-1] {
		if n, err := strconv.Atoi(p); err != nil || n > 100 {
			t.Fatalf("exec'd command sees process %q: not the task's pid namespace (%q)", p, out)
		}
	}
}

// cliStdin is cli with stdin.
func (a *devAgent) cliStdin(dir, stdin string, args ...string) (string, int) {
	a.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, a.bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "DROVER_ADDR="+a.addr, "NOMAD_ADDR=")
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), ee.ExitCode()
	}
	if err != nil {
		a.t.Fatalf("running drover %s: %v", strings.Join(args, " "), err)
	}
	return string(out), 0
}
