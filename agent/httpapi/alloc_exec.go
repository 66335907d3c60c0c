package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/structs"
)

// execWriteTimeout bounds one frame's write: a caller that stops reading
// ends its session (and its command) instead of stalling the command.
const execWriteTimeout = 30 * time.Second

// execSession is alloc exec's streamer: GET
// /v1/client/allocation/<id>/exec?task=&command=<JSON array>&tty=, upgraded
// to a websocket carrying Nomad's frames (structs.ExecStreamingInput in,
// ExecStreamingOutput out). The parameters are checked before the upgrade
// and answered with plain HTTP errors, as Nomad's official client expects;
// once upgraded, a command that cannot run ends the session with a close
// frame whose text is the error and whose code is 4000+its HTTP status
// (1011 for internal errors), and one that ran ends with an exited frame
// and a normal close.
type execSession struct {
	api     *api
	client  Client
	allocID string
	task    string
	command []string
	tty     bool
}

// allocExec checks the request and returns the session that upgrades it.
func (a *api) allocExec(req *request) (interface{}, error) {
	id := req.PathValue("id")
	c, err := a.localClient(id)
	if err != nil {
		return nil, err
	}
	q := req.URL.Query()
	task := q.Get("task")
	if task == "" {
		return nil, badRequest("missing task parameter")
	}
	var command []string
	if err := json.Unmarshal([]byte(q.Get("command")), &command); err != nil {
		return nil, badRequest("failed to parse command parameter %q as a JSON array of strings: %v", q.Get("command"), err)
	}
	if len(command) == 0 || command[0] == "" {
		return nil, badRequest("command is not present")
	}
	tty, err := req.boolParam("tty", false)
	if err != nil {
		return nil, err
	}
	return &execSession{api: a, client: c, allocID: id, task: task, command: command, tty: tty}, nil
}

var execUpgrader = websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 4096}

func (s *execSession) stream(w http.ResponseWriter, r *http.Request) {
	conn, err := execUpgrader.Upgrade(hijackable(w), r, nil)
	if err != nil {
		// The upgrader has answered with an HTTP error.
		s.api.cfg.Logger.Debug("exec: websocket upgrade failed", "alloc_id", s.allocID, "error", err)
		return
	}
	defer conn.Close()
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()

	out := &frameWriter{conn: conn, cancel: cancel}
	stdinR, stdinW := io.Pipe()
	defer stdinR.Close() // ends a copy of stdin blocked on the pipe
	resize := make(chan driver.TerminalSize, 4)
	go s.readInput(conn, stdinW, resize, cancel)

	code, err := s.client.Exec(ctx, s.allocID, s.task, &driver.ExecRequest{
		Command: s.command,
		TTY:     s.tty,
		Stdin:   stdinR,
		Stdout:  out.stream(false),
		Stderr:  out.stream(true),
		Resize:  resize,
	})
	if err != nil {
		if ctx.Err() != nil {
			return // the caller went away; nobody to tell
		}
		status, msg := errorStatus(err)
		wsCode := 4000 + status
		if status >= http.StatusInternalServerError {
			wsCode = websocket.CloseInternalServerErr
			s.api.cfg.Logger.Error("exec failed", "alloc_id", s.allocID, "task", s.task, "error", err)
		}
		out.close(wsCode, msg)
		return
	}
	out.send(&structs.ExecStreamingOutput{Exited: true, Result: &structs.ExecStreamingExitResult{ExitCode: code}})
	out.close(websocket.CloseNormalClosure, "")
}

// readInput turns the caller's frames into stdin and resizes until the
// connection ends, which cancels the session.
func (s *execSession) readInput(conn *websocket.Conn, stdin *io.PipeWriter, resize chan driver.TerminalSize, cancel func()) {
	defer cancel()
	stdinOpen := true
	for {
		var in structs.ExecStreamingInput
		if err := conn.ReadJSON(&in); err != nil {
			stdin.CloseWithError(err)
			return
		}
		switch {
		case in.Stdin != nil && stdinOpen:
			if len(in.Stdin.Data) > 0 {
				if _, err := stdin.Write(in.Stdin.Data); err != nil {
					// The command no longer reads its input; drop the rest.
					stdinOpen = false
				}
			}
			if in.Stdin.Close {
				stdin.Close()
				stdinOpen = false
			}
		case in.TTYSize != nil:
			size := driver.TerminalSize{Height: in.TTYSize.Height, Width: in.TTYSize.Width}
			select {
			case resize <- size:
			default: // the terminal is behind; the next resize wins
			}
		}
	}
}

// frameWriter sends output frames, one at a time.
type frameWriter struct {
	conn   *websocket.Conn
	cancel func()

	mu     sync.Mutex
	failed bool
}

func (f *frameWriter) send(frame *structs.ExecStreamingOutput) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failed {
		return errors.New("exec: connection to the caller failed")
	}
	_ = f.conn.SetWriteDeadline(time.Now().Add(execWriteTimeout))
	if err := f.conn.WriteJSON(frame); err != nil {
		f.failed = true
		f.cancel()
		return err
	}
	return nil
}

func (f *frameWriter) close(code int, text string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	// A close frame's payload is at most 125 bytes, 2 of them the code.
	if len(text) > 123 {
		text = strings.ToValidUTF8(text[:123], "")
	}
	msg := websocket.FormatCloseMessage(code, text)
	_ = f.conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(execWriteTimeout))
}

// stream is an io.Writer sending each write as one stdout (or stderr)
// frame.
func (f *frameWriter) stream(stderr bool) io.Writer {
	return writerFunc(func(p []byte) (int, error) {
		op := &structs.ExecStreamingIOOperation{Data: p}
		frame := &structs.ExecStreamingOutput{Stdout: op}
		if stderr {
			frame = &structs.ExecStreamingOutput{Stderr: op}
		}
		if err := f.send(frame); err != nil {
			return 0, err
		}
		return len(p), nil
	})
}

type writerFunc func(p []byte) (int, error)

func (w writerFunc) Write(p []byte) (int, error) { return w(p) }

// hijackable finds the http.Hijacker under the wrappers of w.
func hijackable(w http.ResponseWriter) http.ResponseWriter {
	for {
		if _, ok := w.(http.Hijacker); ok {
			return w
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return w
		}
		w = u.Unwrap()
	}
}
