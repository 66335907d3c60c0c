package exec

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/structs"
)

// TestMain lets libcontainer re-execute the test binary as a container's
// init, as main does for the agent binary.
func TestMain(m *testing.M) {
	if IsInitProcess(os.Args) {
		// libcontainer starts init in the task directory; a marker there
		// makes this binary behave like one whose main lacks the hook.
		if _, err := os.Stat(noInitHookMarker); err == nil {
			fmt.Fprintln(os.Stderr, `drover: unknown command "init"`)
			os.Exit(1)
		}
		RunInit()
	}
	os.Exit(m.Run())
}

// noInitHookMarker, in a task directory, simulates a binary without the
// init hook in main for that task.
const noInitHookMarker = "drover-test-no-init-hook"

// testCgroupParent keeps test cgroups apart from a real agent's.
const testCgroupParent = "/drover-test"

var (
	usableOnce sync.Once
	usableWhy  string
)

// requireIsolation skips the test when containers cannot run here: not
// root, or cgroups unusable. It runs the driver's own fingerprint once.
func requireIsolation(t testing.TB) {
	t.Helper()
	usableOnce.Do(func() {
		if os.Geteuid() != 0 {
			usableWhy = "exec driver tests need root"
			return
		}
		dir, err := os.MkdirTemp("", "exec-fp-")
		if err != nil {
			usableWhy = err.Error()
			return
		}
		defer os.RemoveAll(dir)
		info := newTestDriverAt(t, dir, nil).Fingerprint(context.Background())
		if !info.Healthy {
			usableWhy = "exec driver unusable here: " + info.HealthDescription
		}
	})
	if usableWhy != "" {
		t.Skip(usableWhy)
	}
}

func newTestDriverAt(t testing.TB, stateDir string, edit func(*Config)) *Driver {
	t.Helper()
	cfg := DefaultConfig(stateDir)
	cfg.CgroupParent = testCgroupParent
	if edit != nil {
		edit(&cfg)
	}
	d, err := NewWithConfig(hclog.NewNullLogger(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func newTestDriver(t testing.TB, edit func(*Config)) *Driver {
	t.Helper()
	return newTestDriverAt(t, filepath.Join(t.TempDir(), "state"), edit)
}

// testAlloc lays out <root>/<alloc>/{alloc,<task>/{local,secrets,tmp}}
// the way the client's allocdir does and returns a task config for a shell
// script.
func testAlloc(t testing.TB, root, allocID, script string) *driver.TaskConfig {
	t.Helper()
	allocDir := filepath.Join(root, allocID, "alloc")
	taskDir := filepath.Join(root, allocID, "web")
	for _, d := range []struct {
		path string
		mode os.FileMode
	}{
		{filepath.Join(allocDir, "logs"), 0o755}, {filepath.Join(allocDir, "data"), 0o755},
		{filepath.Join(allocDir, "tmp"), 0o777 | os.ModeSticky},
		{filepath.Join(taskDir, "local"), 0o755}, {filepath.Join(taskDir, "secrets"), 0o700},
		{filepath.Join(taskDir, "tmp"), 0o777 | os.ModeSticky},
	} {
		if err := os.MkdirAll(d.path, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d.path, d.mode); err != nil {
			t.Fatal(err)
		}
	}
	return &driver.TaskConfig{
		AllocID: allocID, TaskName: "web",
		Config:     map[string]interface{}{"command": "/bin/sh", "args": []interface{}{"-c", script}},
		Env:        map[string]string{"GREETING": "hi"},
		AllocDir:   allocDir,
		TaskDir:    taskDir,
		StdoutPath: filepath.Join(allocDir, "logs", "web.stdout.0"),
		StderrPath: filepath.Join(allocDir, "logs", "web.stderr.0"),
		Resources:  &structs.Resources{CPU: 100, MemoryMB: 64},
	}
}

func run(t testing.TB, d *Driver, cfg *driver.TaskConfig, within time.Duration) *driver.ExitResult {
	t.Helper()
	h, err := d.StartTask(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return waitResult(t, h, within)
}

func waitResult(t testing.TB, h driver.TaskHandle, within time.Duration) *driver.ExitResult {
	t.Helper()
	select {
	case r := <-h.Wait():
		return r
	case <-time.After(within):
		_ = h.Kill("SIGKILL", time.Second)
		t.Fatalf("task did not exit within %s", within)
		return nil
	}
}

func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// waitFile waits for path to have content and returns it trimmed.
func waitFile(t testing.TB, path string, within time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return strings.TrimSpace(string(b))
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s never appeared", path)
	return ""
}
