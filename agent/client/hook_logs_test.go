package client

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-project/drover/structs"
)

// TestLogsRotateAndLogFileFollows runs a task whose output outgrows its
// log files: they rotate, the oldest are deleted, and LogFile names the
// newest.
func TestLogsRotateAndLogFileFollows(t *testing.T) {
	srv := newFakeServer()
	c := testClient(t, srv, nil)
	line := strings.Repeat("x", 1023) + "\n" // 1 KiB
	task := mockTask("chatty", map[string]interface{}{"run_for": "100ms", "stdout_string": strings.Repeat(line, 2500)})
	task.LogConfig = &structs.LogConfig{MaxFiles: 2, MaxFileSizeMB: 1}
	a := placeAlloc(srv, c, testJob(structs.JobTypeBatch, task))
	waitStatus(t, srv, a.ID, structs.AllocClientStatusComplete)

	logDir := filepath.Join(c.cfg.AllocDir, a.ID, "alloc", "logs")
	want := map[string]int64{"chatty.stdout.1": 1 << 20, "chatty.stdout.2": (2500 - 2048) * 1024}
	waitFor(t, "rotated logs", func() bool {
		for name, size := range want {
			st, err := os.Stat(filepath.Join(logDir, name))
			if err != nil || st.Size() != size {
				return false
			}
		}
		return true
	})
	if _, err := os.Stat(filepath.Join(logDir, "chatty.stdout.0")); !os.IsNotExist(err) {
		t.Fatalf("oldest log kept beyond max_files: %v", err)
	}
	path, err := c.LogFile(a.ID, "chatty", "stdout")
	if err != nil || filepath.Base(path) != "chatty.stdout.2" {
		t.Fatalf("LogFile = %s, %v; want the newest file", path, err)
	}
	if path, _ := c.LogFile(a.ID, "chatty", "stderr"); filepath.Base(path) != "chatty.stderr.0" {
		t.Fatalf("stderr LogFile = %s", path)
	}
}
