package mock

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/drover-project/drover/driver"
)

func start(t *testing.T, cfg map[string]interface{}) (driver.TaskHandle, *driver.TaskConfig, error) {
	t.Helper()
	dir := t.TempDir()
	tc := &driver.TaskConfig{Config: cfg, TaskDir: dir, StdoutPath: filepath.Join(dir, "out"), StderrPath: filepath.Join(dir, "err")}
	h, err := New().StartTask(context.Background(), tc)
	return h, tc, err
}

func result(t *testing.T, h driver.TaskHandle, within time.Duration) *driver.ExitResult {
	t.Helper()
	select {
	case r := <-h.Wait():
		return r
	case <-time.After(within):
		return nil
	}
}

func TestRunFor(t *testing.T) {
	cases := []struct {
		name string
		cfg  map[string]interface{}
		want *driver.ExitResult // nil: still running after 100ms
	}{
		{"exit code", map[string]interface{}{"run_for": "10ms", "exit_code": 3}, &driver.ExitResult{ExitCode: 3}},
		{"zero run_for exits at once", map[string]interface{}{"run_for": "0s"}, &driver.ExitResult{}},
		{"exit signal", map[string]interface{}{"run_for": "1ms", "exit_signal": 9}, &driver.ExitResult{ExitCode: 137, Signal: 9}},
		{"no run_for runs until killed", map[string]interface{}{}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, _, err := start(t, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			got := result(t, h, 100*time.Millisecond)
			if tc.want == nil {
				if got != nil {
					t.Fatalf("task exited with %+v, want it running", got)
				}
				return
			}
			if got == nil || *got != *tc.want {
				t.Fatalf("result = %+v, want %+v", got, tc.want)
			}
			// Every Wait call sees the result.
			if again := result(t, h, time.Second); again == nil || *again != *tc.want {
				t.Fatalf("second Wait = %+v", again)
			}
		})
	}
}

func TestKill(t *testing.T) {
	cases := []struct {
		name       string
		killAfter  string
		signal     string
		timeout    time.Duration
		wantSignal syscall.Signal
		minTook    time.Duration
	}{
		{"at once with default signal", "", "", time.Second, syscall.SIGINT, 0},
		{"named signal", "", "SIGTERM", time.Second, syscall.SIGTERM, 0},
		{"kill_after within timeout", "50ms", "SIGTERM", time.Second, syscall.SIGTERM, 50 * time.Millisecond},
		{"kill_after beyond timeout", "10s", "SIGTERM", 30 * time.Millisecond, syscall.SIGKILL, 30 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := map[string]interface{}{}
			if tc.killAfter != "" {
				cfg["kill_after"] = tc.killAfter
			}
			h, _, err := start(t, cfg)
			if err != nil {
				t.Fatal(err)
			}
			begin := time.Now()
			if err := h.Kill(tc.signal, tc.timeout); err != nil {
				t.Fatal(err)
			}
			if took := time.Since(begin); took < tc.minTook || took > 5*time.Second {
				t.Fatalf("kill took %s, want at least %s", took, tc.minTook)
			}
			got := result(t, h, time.Second)
			if got == nil || got.Signal != int(tc.wantSignal) || got.ExitCode != 128+int(tc.wantSignal) {
				t.Fatalf("result = %+v, want signal %d", got, tc.wantSignal)
			}
		})
	}
	t.Run("bad signal", func(t *testing.T) {
		h, _, _ := start(t, map[string]interface{}{})
		if err := h.Kill("SIGBOGUS", time.Second); err == nil {
			t.Fatal("expected an error")
		}
		_ = h.Kill("", time.Second)
	})
}

func TestStart(t *testing.T) {
	cases := []struct {
		name       string
		cfg        map[string]interface{}
		wantErr    string
		wantStdout string
		minTook    time.Duration
	}{
		{"start error", map[string]interface{}{"start_error": "boom"}, "boom", "", 0},
		{"stdout string", map[string]interface{}{"stdout_string": "hello\n", "run_for": "1ms"}, "", "hello\n", 0},
		{"start block", map[string]interface{}{"start_block_for": "40ms", "run_for": "1ms"}, "", "", 40 * time.Millisecond},
		{"invalid config", map[string]interface{}{"run_for": "forever"}, `mock: config: field "run_for": invalid duration`, "", 0},
		{"negative duration", map[string]interface{}{"run_for": "-1s"}, "must not be negative", "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			begin := time.Now()
			_, cfg, err := start(t, tc.cfg)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if took := time.Since(begin); took < tc.minTook {
				t.Fatalf("start took %s, want at least %s", took, tc.minTook)
			}
			out, _ := os.ReadFile(cfg.StdoutPath)
			if string(out) != tc.wantStdout {
				t.Fatalf("stdout = %q, want %q", out, tc.wantStdout)
			}
		})
	}
}

func TestValidateConfig(t *testing.T) {
	d := New()
	if err := d.ValidateConfig(map[string]interface{}{"run_for": "1s", "exit_code": float64(2)}); err != nil {
		t.Fatalf("valid config rejected: %v", err)
	}
	err := d.ValidateConfig(map[string]interface{}{"run_fore": "1s"})
	if err == nil || !strings.Contains(err.Error(), `mock: config: unknown field "run_fore"`) {
		t.Fatalf("error = %v", err)
	}
}
