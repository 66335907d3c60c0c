package rawexec

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/drover-project/drover/driver"
)

func TestSignal(t *testing.T) {
	d := New(nil)
	// The trap is set before "ready" is printed, so the signal cannot
	// arrive before the shell handles it.
	script := `trap 'echo got-hup; exit 7' HUP; echo ready; while :; do sleep 0.05; done`
	cfg := taskConfig(t, map[string]interface{}{"command": "/bin/sh", "args": []interface{}{"-c", script}})
	h, err := d.StartTask(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Kill("SIGKILL", time.Second)
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, _ := os.ReadFile(cfg.StdoutPath)
		if strings.Contains(string(b), "ready") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("task never got ready")
		}
		time.Sleep(10 * time.Millisecond)
	}
	sig := h.(driver.Signaler)
	if err := sig.Signal("SIGBOGUS"); err == nil {
		t.Fatal("an unknown signal was accepted")
	}
	if err := sig.Signal("SIGHUP"); err != nil {
		t.Fatal(err)
	}
	if res := waitResult(t, h, 5*time.Second); res.ExitCode != 7 {
		t.Fatalf("exit = %+v, want the trap's exit 7", res)
	}
	if b, _ := os.ReadFile(cfg.StdoutPath); !strings.Contains(string(b), "got-hup") {
		t.Fatalf("stdout = %q", b)
	}
	if err := sig.Signal("SIGHUP"); err == nil {
		t.Fatal("signalling an exited task succeeded")
	}
}
