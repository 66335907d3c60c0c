package supervisor

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/drover-project/drover/driver"
)

// Exec runs in the task's directory and environment through the client's
// handle, also one recovered by a later client, and not once the task
// has exited.
func TestExecStreaming(t *testing.T) {
	svDir := t.TempDir()
	cfg := shellTask(t, `trap 'exit 0' TERM; while true; do sleep 0.05; done`)
	cfg.Env["GREETING"] = "hi"
	h1, err := newDriver(t, svDir).StartTask(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	h2, err := newDriver(t, svDir).RecoverTask(context.Background(), h1.(driver.RecoverableHandle).HandleState())
	if err != nil {
		t.Fatal(err)
	}
	for name, h := range map[string]driver.TaskHandle{"started": h1, "recovered": h2} {
		var out bytes.Buffer
		code, err := h.(driver.ExecStreamer).ExecStreaming(context.Background(), &driver.ExecRequest{
			Command: []string{"sh", "-c", `echo "$GREETING $(pwd)"; exit 4`}, Stdout: &out,
		})
		if err != nil || code != 4 || out.String() != "hi "+cfg.TaskDir+"\n" {
			t.Fatalf("%s handle: exec = %d, %v, %q", name, code, err, out.String())
		}
	}
	if err := h2.Kill("SIGTERM", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	exitOf(t, h1)
	_, err = h1.(driver.ExecStreamer).ExecStreaming(context.Background(), &driver.ExecRequest{Command: []string{"true"}})
	if err == nil || !strings.Contains(err.Error(), "task has exited") {
		t.Fatalf("exec into an exited task: %v", err)
	}
}
