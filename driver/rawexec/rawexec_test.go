package rawexec

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/drover-project/drover/driver"
)

func taskConfig(t *testing.T, cfg map[string]interface{}) *driver.TaskConfig {
	t.Helper()
	dir := t.TempDir()
	return &driver.TaskConfig{
		AllocID: "a1", TaskName: "t", Config: cfg,
		Env:        map[string]string{"PATH": os.Getenv("PATH"), "GREETING": "hi"},
		TaskDir:    dir,
		StdoutPath: filepath.Join(dir, "t.stdout.0"),
		StderrPath: filepath.Join(dir, "t.stderr.0"),
	}
}

func waitResult(t *testing.T, h driver.TaskHandle, within time.Duration) *driver.ExitResult {
	t.Helper()
	select {
	case r := <-h.Wait():
		return r
	case <-time.After(within):
		t.Fatalf("task did not exit within %s", within)
		return nil
	}
}

func TestRunExitCodeAndLogs(t *testing.T) {
	cases := []struct {
		name     string
		script   string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{"exit code", "echo hi; exit 3", 3, "hi\n", ""},
		{"env and cwd", `echo $GREETING; pwd >&2`, 0, "hi\n", "<taskdir>"},
		{"stderr", "echo oops >&2", 0, "", "oops\n"},
	}
	d := New(nil)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := taskConfig(t, map[string]interface{}{"command": "/bin/sh", "args": []interface{}{"-c", tc.script}})
			// Appending: earlier content of the log must survive.
			if err := os.WriteFile(cfg.StdoutPath, []byte("old\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			h, err := d.StartTask(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			res := waitResult(t, h, 10*time.Second)
			if res.ExitCode != tc.wantCode || res.Signal != 0 || res.Err != nil {
				t.Fatalf("result = %+v, want exit code %d", res, tc.wantCode)
			}
			out, _ := os.ReadFile(cfg.StdoutPath)
			if string(out) != "old\n"+tc.wantOut {
				t.Fatalf("stdout = %q, want %q", out, "old\n"+tc.wantOut)
			}
			errOut, _ := os.ReadFile(cfg.StderrPath)
			want := strings.ReplaceAll(tc.wantErr, "<taskdir>", cfg.TaskDir+"\n")
			if string(errOut) != want {
				t.Fatalf("stderr = %q, want %q", errOut, want)
			}
		})
	}
}

func TestKillProcessGroup(t *testing.T) {
	cases := []struct {
		name       string
		script     string
		signal     string
		wantSignal syscall.Signal
	}{
		// The shell waits on sleep; SIGTERM to the group ends both.
		{"sigterm reaches children", "sleep 100 & echo $! > child.pid; wait", "SIGTERM", syscall.SIGTERM},
		// A task that ignores the signal is SIGKILLed after the timeout.
		{"ignored signal escalates", "trap '' INT; sleep 100 & echo $! > child.pid; wait; wait", "", syscall.SIGKILL},
	}
	d := New(nil)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := taskConfig(t, map[string]interface{}{"command": "sh", "args": []string{"-c", tc.script}})
			h, err := d.StartTask(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			pidFile := filepath.Join(cfg.TaskDir, "child.pid")
			deadline := time.Now().Add(5 * time.Second)
			var childPID int
			for childPID == 0 && time.Now().Before(deadline) {
				b, _ := os.ReadFile(pidFile)
				if s := strings.TrimSpace(string(b)); s != "" {
					childPID = atoi(t, s)
				} else {
					time.Sleep(10 * time.Millisecond)
				}
			}
			if childPID == 0 {
				t.Fatal("child never started")
			}
			start := time.Now()
			if err := h.Kill(tc.signal, 300*time.Millisecond); err != nil {
				t.Fatal(err)
			}
			if time.Since(start) > 5*time.Second {
				t.Fatal("kill took too long")
			}
			res := waitResult(t, h, 5*time.Second)
			if res.Signal != int(tc.wantSignal) || res.ExitCode != 128+int(tc.wantSignal) {
				t.Fatalf("result = %+v, want signal %d", res, tc.wantSignal)
			}
			// The background sleep must be gone too.
			gone := false
			for i := 0; i < 100 && !gone; i++ {
				gone = processGone(childPID)
				time.Sleep(10 * time.Millisecond)
			}
			if !gone {
				t.Fatalf("child %d survived the kill", childPID)
			}
			// Killing an exited task is not an error.
			if err := h.Kill("SIGTERM", time.Second); err != nil {
				t.Fatalf("second kill: %v", err)
			}
		})
	}
}

// processGone reports whether pid no longer runs. A killed orphan may stay
// a zombie until init reaps it, which counts as gone.
func processGone(pid int) bool {
	if syscall.Kill(pid, 0) == syscall.ESRCH {
		return true
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	fields := strings.Fields(string(b)[strings.LastIndex(string(b), ")")+1:])
	return len(fields) > 0 && fields[0] == "Z"
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("bad pid %q", s)
		}
		n = n*10 + int(c-'0')
	}
	return n
}

func TestValidateConfig(t *testing.T) {
	cases := []struct {
		name    string
		cfg     map[string]interface{}
		wantErr string
	}{
		{"ok", map[string]interface{}{"command": "/bin/true"}, ""},
		{"ok with args", map[string]interface{}{"command": "echo", "args": []interface{}{"a"}}, ""},
		{"missing command", map[string]interface{}{"args": []interface{}{"a"}}, `raw_exec: config: missing required field "command"`},
		{"unknown key", map[string]interface{}{"command": "x", "image": "y"}, `raw_exec: config: unknown field "image"`},
		{"bad args", map[string]interface{}{"command": "x", "args": "a"}, `raw_exec: config: field "args": expected a list of strings`},
	}
	d := New(nil)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := d.ValidateConfig(tc.cfg)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestStartErrors(t *testing.T) {
	cases := []struct {
		name    string
		cfg     map[string]interface{}
		wantErr string
	}{
		{"invalid config", map[string]interface{}{}, `missing required field "command"`},
		{"not found", map[string]interface{}{"command": "no-such-binary-xyz"}, `command "no-such-binary-xyz" not found`},
		{"relative missing", map[string]interface{}{"command": "local/run.sh"}, `command "local/run.sh"`},
	}
	d := New(nil)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := d.StartTask(context.Background(), taskConfig(t, tc.cfg))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestCommandRelativeToTaskDir(t *testing.T) {
	cases := []struct{ name, command string }{
		{"with slash", "local/run.sh"},
		{"bare name in local", "run.sh"},
	}
	d := New(nil)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := taskConfig(t, map[string]interface{}{"command": tc.command})
			if err := os.MkdirAll(filepath.Join(cfg.TaskDir, "local"), 0o755); err != nil {
				t.Fatal(err)
			}
			script := "#!/bin/sh\necho from-script\nexit 7\n"
			if err := os.WriteFile(filepath.Join(cfg.TaskDir, "local", "run.sh"), []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			h, err := d.StartTask(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if res := waitResult(t, h, 10*time.Second); res.ExitCode != 7 {
				t.Fatalf("exit code = %d, want 7", res.ExitCode)
			}
			out, _ := os.ReadFile(cfg.StdoutPath)
			if string(out) != "from-script\n" {
				t.Fatalf("stdout = %q", out)
			}
		})
	}
}

func TestFingerprint(t *testing.T) {
	info := New(nil).Fingerprint(context.Background())
	if !info.Detected || !info.Healthy {
		t.Fatalf("fingerprint = %+v, want detected and healthy", info)
	}
}

// TestExitWaitsForRotatedLogs: with rotation the output goes through a pipe
// copied by this process; the exit must not be reported before the last
// line is in the file, or a supervisor exiting right after would lose it.
func TestExitWaitsForRotatedLogs(t *testing.T) {
	for i := 0; i < 20; i++ {
		cfg := taskConfig(t, map[string]interface{}{"command": "/bin/sh", "args": []interface{}{"-c", "printf 'a\\nlast line'"}})
		cfg.LogRotation = &driver.LogRotation{MaxFiles: 2, MaxFileBytes: 1 << 20}
		cfg.StdoutPath = filepath.Join(cfg.TaskDir, "t.stdout")
		h, err := New(nil).StartTask(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		waitResult(t, h, 10*time.Second)
		b, err := os.ReadFile(cfg.StdoutPath + ".0")
		if err != nil || string(b) != "a\nlast line" {
			t.Fatalf("run %d: log %q (%v) right after exit", i, b, err)
		}
	}
}
