package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/driver/rawexec"
	"github.com/drover-project/drover/structs"
)

type execFunc func(ctx context.Context, allocID, task string, req *driver.ExecRequest) (int, error)

func (c *fakeClient) Exec(ctx context.Context, allocID, task string, req *driver.ExecRequest) (int, error) {
	if c.exec == nil {
		return 0, errors.New("fake client: no exec")
	}
	return c.exec(ctx, allocID, task, req)
}

// rawExecClient execs with the real raw_exec driver into a task "web" of
// fakeAllocID whose directory is taskDir; anything else is not found.
func rawExecClient(taskDir string) execFunc {
	d := rawexec.New(nil)
	return func(ctx context.Context, allocID, task string, req *driver.ExecRequest) (int, error) {
		if allocID != fakeAllocID || task != "web" {
			return 0, fmt.Errorf("task %q of %s: %w", task, allocID, structs.ErrNotFound)
		}
		cfg := &driver.TaskConfig{AllocID: allocID, TaskName: task, TaskDir: taskDir,
			Env: map[string]string{"PATH": os.Getenv("PATH"), "GREETING": "hello"}}
		return d.ExecTask(ctx, cfg, req)
	}
}

func execURL(h *harness, alloc, task string, tty bool, command ...string) string {
	cmd, _ := json.Marshal(command)
	q := url.Values{"task": {task}, "command": {string(cmd)}, "tty": {strconv.FormatBool(tty)}}
	return "ws" + strings.TrimPrefix(h.http.URL, "http") + "/v1/client/allocation/" + alloc + "/exec?" + q.Encode()
}

// execResult is what a session delivered.
type execResult struct {
	stdout, stderr string
	exitCode       int
	exited         bool
	closeErr       *websocket.CloseError
}

// runExec sends the raw JSON input frames and reads output frames until
// the exit frame and the close that follows it.
func runExec(t *testing.T, wsURL string, input ...string) *execResult {
	t.Helper()
	conn, resp, err := websocket.DefaultDialer.Dial(wsURL, nil)
	if err != nil {
		t.Fatalf("dial: %v (response %+v)", err, resp)
	}
	defer conn.Close()
	for _, in := range input {
		if err := conn.WriteMessage(websocket.TextMessage, []byte(in)); err != nil {
			t.Fatal(err)
		}
	}
	res := &execResult{}
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		_, msg, err := conn.ReadMessage()
		if err != nil {
			if ce, ok := err.(*websocket.CloseError); ok {
				res.closeErr = ce
				return res
			}
			t.Fatalf("reading frames: %v (so far %+v)", err, res)
		}
		// Decode loosely so that the test checks Nomad's field names.
		var frame map[string]json.RawMessage
		if err := json.Unmarshal(msg, &frame); err != nil {
			t.Fatalf("frame %s: %v", msg, err)
		}
		var out structs.ExecStreamingOutput
		if err := json.Unmarshal(msg, &out); err != nil {
			t.Fatal(err)
		}
		switch {
		case frame["stdout"] != nil:
			res.stdout += string(out.Stdout.Data)
		case frame["stderr"] != nil:
			res.stderr += string(out.Stderr.Data)
		case frame["exited"] != nil:
			if string(frame["exited"]) != "true" || !strings.Contains(string(frame["result"]), `"exit_code"`) {
				t.Fatalf("exit frame %s", msg)
			}
			res.exited, res.exitCode = true, out.Result.ExitCode
		default:
			t.Fatalf("unexpected frame %s", msg)
		}
	}
}

func TestAllocExecRawExec(t *testing.T) {
	taskDir := t.TempDir()
	h := newHarness(t)
	h.client.exec = rawExecClient(taskDir)
	cases := []struct {
		name      string
		tty       bool
		command   []string
		input     []string
		stdout    string
		stderr    string
		exitCode  int
		stdoutHas string
	}{
		{name: "echo", command: []string{"echo", "hi"}, stdout: "hi\n"},
		{name: "exit code", command: []string{"sh", "-c", "echo bye; exit 3"}, stdout: "bye\n", exitCode: 3},
		{name: "stdin through cat", command: []string{"cat"},
			input:  []string{`{"stdin":{"data":"aGVsbG8K"}}`, `{}`, `{"stdin":{"data":"d29ybGQK"}}`, `{"stdin":{"close":true}}`},
			stdout: "hello\nworld\n"},
		{name: "stderr and environment", command: []string{"sh", "-c", `echo "$GREETING from $(pwd)" >&2`}, stderr: "hello from " + taskDir + "\n"},
		{name: "killed by a signal", command: []string{"sh", "-c", "kill -TERM $$"}, exitCode: 128 + int(syscall.SIGTERM)},
		// The size frame travels before the input line, so once the command
		// has read the line the terminal has its size (no race with start).
		{name: "terminal", tty: true, command: []string{"sh", "-c", `read line; test -t 0 && test -t 1 && stty size`},
			input: []string{`{"tty_size":{"height":33,"width":101}}`, `{"stdin":{"data":"Z28K"}}`}, stdoutHas: "33 101"},
		{name: "terminal input", tty: true, command: []string{"sh", "-c", `read line; echo "got $line"`},
			input: []string{`{"stdin":{"data":"YWJjCg=="}}`}, stdoutHas: "got abc"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := runExec(t, execURL(h, fakeAllocID, "web", tc.tty, tc.command...), tc.input...)
			if !res.exited || res.exitCode != tc.exitCode {
				t.Fatalf("result %+v, want exit code %d", res, tc.exitCode)
			}
			if tc.stdoutHas != "" {
				if !strings.Contains(res.stdout, tc.stdoutHas) {
					t.Fatalf("stdout %q, want it to contain %q", res.stdout, tc.stdoutHas)
				}
			} else if res.stdout != tc.stdout || res.stderr != tc.stderr {
				t.Fatalf("stdout %q stderr %q, want %q and %q", res.stdout, res.stderr, tc.stdout, tc.stderr)
			}
			if res.closeErr == nil || res.closeErr.Code != websocket.CloseNormalClosure {
				t.Fatalf("close %v, want a normal close", res.closeErr)
			}
		})
	}
}

func TestAllocExecErrors(t *testing.T) {
	h := newHarness(t)
	h.client.exec = rawExecClient(t.TempDir())
	// Bad parameters are plain HTTP errors, before any upgrade.
	for _, tc := range []struct {
		name, query string
		want        string
	}{
		{"no task", "command=%5B%22ls%22%5D", "missing task parameter"},
		{"no command", "task=web", "failed to parse command"},
		{"empty command", "task=web&command=%5B%5D", "command is not present"},
		{"bad tty", "task=web&command=%5B%22ls%22%5D&tty=maybe", `invalid value for "tty"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := "ws" + strings.TrimPrefix(h.http.URL, "http") + "/v1/client/allocation/" + fakeAllocID + "/exec?" + tc.query
			_, resp, err := websocket.DefaultDialer.Dial(u, nil)
			if err == nil || resp == nil || resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("dial: %v, response %+v; want a 400", err, resp)
			}
		})
	}
	// A command that cannot run ends the session with the reason.
	res := runExec(t, execURL(h, "no-such-alloc", "web", false, "ls"))
	if res.exited || res.closeErr == nil || res.closeErr.Code != 4404 || !strings.Contains(res.closeErr.Text, "not found") {
		t.Fatalf("result %+v, close %v; want a 4404 close saying not found", res, res.closeErr)
	}
	res = runExec(t, execURL(h, fakeAllocID, "web", false, "/no/such/command"))
	if res.exited || res.closeErr == nil || res.closeErr.Code != websocket.CloseInternalServerErr || !strings.Contains(res.closeErr.Text, "/no/such/command") {
		t.Fatalf("result %+v, close %v; want an internal error naming the command", res, res.closeErr)
	}
	// Without a client role the allocation is not here.
	noClient := newHarness(t, func(c *Config) { c.Client = nil })
	_, resp, err := websocket.DefaultDialer.Dial(execURL(noClient, fakeAllocID, "web", false, "ls"), nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusNotFound {
		t.Fatalf("dial without a client: %v, %+v; want a 404", err, resp)
	}
}

// A caller that goes away kills its command.
func TestAllocExecDisconnectKills(t *testing.T) {
	taskDir := t.TempDir()
	h := newHarness(t)
	h.client.exec = rawExecClient(taskDir)
	pidFile := filepath.Join(taskDir, "pid")
	conn, _, err := websocket.DefaultDialer.Dial(execURL(h, fakeAllocID, "web", false, "sh", "-c", "echo $$ > "+pidFile+"; exec sleep 60"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var pid int
	deadline := time.Now().Add(10 * time.Second)
	for pid == 0 {
		if time.Now().After(deadline) {
			t.Fatal("command never started")
		}
		b, _ := os.ReadFile(pidFile)
		pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		time.Sleep(10 * time.Millisecond)
	}
	conn.Close()
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("command %d still running after its caller left", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
