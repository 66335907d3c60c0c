package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

type allocStub struct {
	ID            string
	ClientStatus  string
	DesiredStatus string
}

// TestJobLifecycle walks the README: init, run, status, alloc status, logs,
// stop, on a real dev agent through the CLI.
func TestJobLifecycle(t *testing.T) {
	a := startDevAgent(t, "")
	dir := t.TempDir()

	out, code := a.cli(dir, "job", "init")
	if code != 0 || !strings.Contains(out, "example.hcl") {
		t.Fatalf("job init: %d %s", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "example.hcl")); err != nil {
		t.Fatal(err)
	}
	if out, code := a.cli(dir, "job", "init"); code != 1 {
		t.Fatalf("job init over an existing file must fail: %d %s", code, out)
	}

	out, code = a.cli(dir, "job", "run", "example.hcl")
	if code != 0 {
		t.Fatalf("job run: exit %d\n%s", code, out)
	}
	for _, want := range []string{"Monitoring evaluation", `finished with status "complete"`, "created: node"} {
		if !strings.Contains(out, want) {
			t.Errorf("job run output lacks %q:\n%s", want, out)
		}
	}

	var allocs []allocStub
	waitFor(t, 30*time.Second, func() error {
		if err := a.getJSON("/v1/job/example/allocations", &allocs); err != nil {
			return err
		}
		if len(allocs) != 1 || allocs[0].ClientStatus != "running" {
			return fmt.Errorf("allocs: %+v", allocs)
		}
		return nil
	})
	allocID := allocs[0].ID

	out, code = a.cli(dir, "job", "status", "example")
	if code != 0 || !strings.Contains(out, "running") || !strings.Contains(out, allocID[:8]) {
		t.Fatalf("job status: %d\n%s", code, out)
	}

	out, code = a.cli(dir, "alloc", "status", allocID[:8])
	if code != 0 || !strings.Contains(out, "Started") || !strings.Contains(out, `is "running"`) {
		t.Fatalf("alloc status: %d\n%s", code, out)
	}

	waitFor(t, 20*time.Second, func() error {
		out, code := a.cli(dir, "alloc", "logs", allocID)
		if code != 0 || !strings.Contains(out, "hello from") {
			return fmt.Errorf("alloc logs: %d %q", code, out)
		}
		return nil
	})

	out, code = a.cli(dir, "job", "stop", "example")
	if code != 0 {
		t.Fatalf("job stop: %d\n%s", code, out)
	}
	waitFor(t, 30*time.Second, func() error {
		var allocs []allocStub
		if err := a.getJSON("/v1/job/example/allocations", &allocs); err != nil {
			return err
		}
		if len(allocs) != 1 || allocs[0].ClientStatus != "complete" || allocs[0].DesiredStatus != "stop" {
			return fmt.Errorf("allocs after stop: %+v", allocs)
		}
		return nil
	})
	out, _ = a.cli(dir, "job", "status", "example")
	if !regexp.MustCompile(`(?m)^Status\s*=\s*dead`).MatchString(out) || !strings.Contains(out, "complete") {
		t.Fatalf("job status after stop:\n%s", out)
	}
}

// TestBadInput checks that bad input gets a clear error, a non-zero exit and
// leaves the cluster unchanged.
func TestBadInput(t *testing.T) {
	a := startDevAgent(t, "")
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("malformed.hcl", "job \"bad\" {\n  group \"g\" {\n    cuont = 1\n  }\n}\n")
	write("driver.hcl", `job "nodriver" {
  group "g" {
    task "t" {
      driver = "dockerr"
      config { image = "x" }
    }
  }
}
`)
	write("huge.hcl", `job "huge" {
  group "g" {
    task "t" {
      driver = "raw_exec"
      config { command = "/bin/true" }
      resources { memory = 100000000 }
    }
  }
}
`)

	cases := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"malformed hcl", []string{"job", "run", "malformed.hcl"}, 1, []string{"malformed.hcl:3", "cuont"}},
		{"unknown driver", []string{"job", "run", "driver.hcl"}, 1, []string{`unknown driver "dockerr"`}},
		{"impossible resources", []string{"job", "run", "huge.hcl"}, 2, []string{"memory", "exhausted"}},
		{"unknown job status", []string{"job", "status", "nope"}, 1, []string{"nope"}},
		{"unknown job stop", []string{"job", "stop", "nope"}, 1, []string{"nope"}},
		{"missing file", []string{"job", "run", "missing.hcl"}, 1, []string{"missing.hcl"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, code := a.cli(dir, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", code, tc.code, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}

	var jobs []map[string]interface{}
	if err := a.getJSON("/v1/jobs", &jobs); err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 1 || jobs[0]["ID"] != "huge" {
		t.Fatalf("only the valid (unplaceable) job may be registered, got %v", jobs)
	}
	out, _ := a.cli(dir, "job", "status", "huge")
	if !strings.Contains(out, "Placement Failure") || !strings.Contains(out, "memory") {
		t.Fatalf("job status of an unplaceable job must say why:\n%s", out)
	}
}
