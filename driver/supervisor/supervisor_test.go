package supervisor

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/driver/rawexec"
)

// newDriver is what one client incarnation would build: a fresh decorator
// over the same directory.
func newDriver(t *testing.T, dir string) *Driver {
	t.Helper()
	d, err := New(rawexec.New(nil), Config{Dir: dir, Logger: hclog.NewNullLogger()})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func shellTask(t *testing.T, script string) *driver.TaskConfig {
	t.Helper()
	dir := t.TempDir()
	return &driver.TaskConfig{
		AllocID: "alloc-1", TaskName: "web",
		Config:     map[string]interface{}{"command": "/bin/sh", "args": []interface{}{"-c", script}},
		Env:        map[string]string{"PATH": os.Getenv("PATH")},
		TaskDir:    dir,
		StdoutPath: filepath.Join(dir, "stdout"),
		StderrPath: filepath.Join(dir, "stderr"),
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func readPID(t *testing.T, path string) int {
	t.Helper()
	var pid int
	waitFor(t, "pid file "+path, func() bool {
		b, _ := os.ReadFile(path)
		pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		return pid > 0
	})
	return pid
}

func exitOf(t *testing.T, h driver.TaskHandle) *driver.ExitResult {
	t.Helper()
	select {
	case r := <-h.Wait():
		return r
	case <-time.After(15 * time.Second):
		t.Fatal("task did not exit")
		return nil
	}
}

func processAlive(pid int) bool { return syscall.Kill(pid, 0) == nil }

// TestReattachAndKill: the client's handle is dropped, a new decorator
// recovers the task from the handle state, the task is the same process,
// and killing through the new handle reports its exit code.
func TestReattachAndKill(t *testing.T) {
	svDir := t.TempDir()
	cfg := shellTask(t, `trap 'exit 7' TERM; trap 'echo usr1 > got' USR1; echo $$ > pid; while true; do sleep 0.05; done`)
	h1, err := newDriver(t, svDir).StartTask(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	pid := readPID(t, filepath.Join(cfg.TaskDir, "pid"))
	state := h1.(driver.RecoverableHandle).HandleState()

	h2, err := newDriver(t, svDir).RecoverTask(context.Background(), state)
	if err != nil {
		t.Fatal(err)
	}
	if !processAlive(pid) {
		t.Fatalf("task %d died on reattach", pid)
	}
	if err := h2.(driver.Signaler).Signal("SIGUSR1"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the signal to arrive", func() bool {
		b, _ := os.ReadFile(filepath.Join(cfg.TaskDir, "got"))
		return string(b) == "usr1\n"
	})
	if _, err := h2.(driver.StatsReporter).Stats(); err == nil {
		t.Fatal("raw_exec reports no stats; the supervisor should say so")
	}
	if err := h2.Kill("SIGTERM", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if res := exitOf(t, h2); res.ExitCode != 7 || res.Signal != 0 || res.Err != nil {
		t.Fatalf("exit = %+v, want code 7", res)
	}
	// The dropped handle learns the same exit.
	if res := exitOf(t, h1); res.ExitCode != 7 {
		t.Fatalf("first handle's exit = %+v, want code 7", res)
	}
	if processAlive(pid) {
		t.Fatalf("task %d still alive after kill", pid)
	}
}

// TestExitWhileDetached: the task ends while no client holds a handle; the
// supervisor records the exit and goes; recovery reports that exit.
func TestExitWhileDetached(t *testing.T) {
	svDir := t.TempDir()
	cfg := shellTask(t, `while [ ! -e go ]; do sleep 0.05; done; exit 3`)
	d := newDriver(t, svDir)
	h, err := d.StartTask(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	state := h.(driver.RecoverableHandle).HandleState()
	dir := d.taskDir(cfg.AllocID, cfg.TaskName)
	st, err := ReadState(dir)
	if err != nil {
		t.Fatal(err)
	}
	supervisorPID := st.SupervisorPID
	if !processAlive(supervisorPID) {
		t.Fatal("supervisor not running")
	}
	if err := os.WriteFile(filepath.Join(cfg.TaskDir, "go"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the supervisor to exit", func() bool { return !alive(dir) })

	h2, err := newDriver(t, svDir).RecoverTask(context.Background(), state)
	if err != nil {
		t.Fatal(err)
	}
	if res := exitOf(t, h2); res.ExitCode != 3 || res.Err != nil {
		t.Fatalf("recovered exit = %+v, want code 3", res)
	}
	if err := h2.Kill("SIGTERM", time.Second); err != nil {
		t.Fatalf("killing an exited task: %v", err)
	}
	if err := h2.(driver.ReleasableHandle).Release(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("supervisor dir not removed: %v", err)
	}
	if _, err := newDriver(t, svDir).RecoverTask(context.Background(), state); err == nil {
		t.Fatal("recovering a released task should fail")
	}
}

// TestStartAdoptsRunningSupervisor: a start of a task whose supervisor
// still runs (its client died before recording the handle) does not start
// the task twice.
func TestStartAdoptsRunningSupervisor(t *testing.T) {
	svDir := t.TempDir()
	cfg := shellTask(t, `echo $$ >> starts; trap 'exit 0' TERM; while true; do sleep 0.05; done`)
	h1, err := newDriver(t, svDir).StartTask(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	readPID(t, filepath.Join(cfg.TaskDir, "starts"))
	h2, err := newDriver(t, svDir).StartTask(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := h2.Kill("SIGTERM", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	exitOf(t, h1)
	b, _ := os.ReadFile(filepath.Join(cfg.TaskDir, "starts"))
	if n := len(strings.Fields(string(b))); n != 1 {
		t.Fatalf("task started %d times, want once", n)
	}
	// Once it has exited, a start runs it again.
	h3, err := newDriver(t, svDir).StartTask(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "second start", func() bool {
		b, _ := os.ReadFile(filepath.Join(cfg.TaskDir, "starts"))
		return len(strings.Fields(string(b))) == 2
	})
	if err := h3.Kill("SIGKILL", time.Second); err != nil {
		t.Fatal(err)
	}
	if res := exitOf(t, h3); res.Signal != int(syscall.SIGKILL) {
		t.Fatalf("exit = %+v, want SIGKILL", res)
	}
}

func TestStartFailures(t *testing.T) {
	cases := []struct {
		name    string
		cfg     func(*driver.TaskConfig)
		wantErr string
	}{
		{"missing command", func(c *driver.TaskConfig) { c.Config = map[string]interface{}{"command": "/no/such/binary"} }, "/no/such/binary"},
		{"unsupervised driver", nil, `driver "mock_driver" cannot be supervised`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := shellTask(t, "exit 0")
			var inner driver.Driver = rawexec.New(nil)
			if tc.cfg != nil {
				tc.cfg(cfg)
			} else {
				inner = namedDriver{Driver: inner, name: "mock_driver"}
			}
			d, err := New(inner, Config{Dir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			_, err = d.StartTask(context.Background(), cfg)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

// TestRecoverLostSupervisor: a supervisor killed without recording an exit
// cannot be recovered (the task's fate is unknown).
func TestRecoverLostSupervisor(t *testing.T) {
	svDir := t.TempDir()
	cfg := shellTask(t, `echo $$ > pid; exec sleep 30`)
	d := newDriver(t, svDir)
	h, err := d.StartTask(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	taskPID := readPID(t, filepath.Join(cfg.TaskDir, "pid"))
	// The orphaned task is in its own process group.
	defer syscall.Kill(-taskPID, syscall.SIGKILL)
	dir := d.taskDir(cfg.AllocID, cfg.TaskName)
	st, err := ReadState(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(st.SupervisorPID, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	res := exitOf(t, h)
	if res.Err == nil || !strings.Contains(res.Err.Error(), "without recording") {
		t.Fatalf("exit = %+v, want an unknown-fate error", res)
	}
	if _, err := newDriver(t, svDir).RecoverTask(context.Background(), h.(driver.RecoverableHandle).HandleState()); err == nil {
		t.Fatal("recovering a lost supervisor should fail")
	}
}

func TestNewValidates(t *testing.T) {
	long := "/" + strings.Repeat("d", 100)
	for _, dir := range []string{"", "relative", long} {
		if _, err := New(rawexec.New(nil), Config{Dir: dir}); err == nil {
			t.Errorf("New with dir %q: no error", dir)
		}
	}
}

type namedDriver struct {
	driver.Driver
	name string
}

func (n namedDriver) Name() string { return n.name }
