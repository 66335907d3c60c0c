package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/drover-project/drover/structs"
)

// execHeartbeat is how often Exec tells the agent it is still there, as
// Nomad's client does.
const execHeartbeat = 10 * time.Second

// ExecRequest is a command to run inside a running task.
type ExecRequest struct {
	// AllocID and Task name the task.
	AllocID, Task string
	// Command is the program and its arguments.
	Command []string
	// TTY runs the command on a terminal; its output then all arrives on
	// Stdout.
	TTY bool
	// Stdin is sent to the command until it ends; nil sends nothing.
	Stdin io.Reader
	// Stdout and Stderr receive the command's output.
	Stdout, Stderr io.Writer
	// Resize sends terminal sizes with TTY; nil sends none.
	Resize <-chan structs.TerminalSize
}

// Exec runs a command inside a running task over the agent's websocket
// (GET /v1/client/allocation/<id>/exec, Nomad's protocol) and returns its
// exit code once it has exited. Cancelling ctx ends the session, which
// kills the command. A read blocked on Stdin may outlive the call.
func (a *Allocations) Exec(ctx context.Context, req *ExecRequest) (int, error) {
	conn, err := a.c.dialExec(ctx, req)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		<-ctx.Done()
		conn.Close() // ends the receive loop
	}()

	var sendMu sync.Mutex
	send := func(in *structs.ExecStreamingInput) error {
		sendMu.Lock()
		defer sendMu.Unlock()
		return conn.WriteJSON(in)
	}
	sendErr := make(chan error, 1)
	if req.Stdin != nil {
		go func() {
			if err := sendStdin(req.Stdin, send); err != nil {
				sendErr <- err
			}
		}()
	}
	resize := req.Resize
	go func() {
		t := time.NewTicker(execHeartbeat)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				_ = send(&structs.ExecStreamingInput{}) // a failure shows in the receive loop
			case size, ok := <-resize:
				if !ok {
					resize = nil // a nil channel blocks: no more resizes
					continue
				}
				_ = send(&structs.ExecStreamingInput{TTYSize: &size})
			}
		}
	}()
	type result struct {
		code int
		err  error
	}
	got := make(chan result, 1)
	go func() {
		code, err := receive(conn, req.Stdout, req.Stderr)
		got <- result{code, err}
	}()
	select {
	case r := <-got:
		if r.err != nil && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		return r.code, r.err
	case err := <-sendErr:
		return 0, fmt.Errorf("sending input: %w", err)
	}
}

// sendStdin sends everything read from r, then its end.
func sendStdin(r io.Reader, send func(*structs.ExecStreamingInput) error) error {
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if serr := send(&structs.ExecStreamingInput{Stdin: &structs.ExecStreamingIOOperation{Data: buf[:n]}}); serr != nil {
				return nil // the session is over; the receive loop says why
			}
		}
		if errors.Is(err, io.EOF) {
			_ = send(&structs.ExecStreamingInput{Stdin: &structs.ExecStreamingIOOperation{Close: true}})
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading stdin: %w", err)
		}
	}
}

// receive writes output frames out until the exit frame.
func receive(conn *websocket.Conn, stdout, stderr io.Writer) (int, error) {
	for {
		var frame structs.ExecStreamingOutput
		err := conn.ReadJSON(&frame)
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			if ce.Text != "" {
				return 0, errors.New(ce.Text)
			}
			return 0, fmt.Errorf("the agent closed the session before the command exited: %w", err)
		}
		if err != nil {
			return 0, fmt.Errorf("reading from the agent: %w", err)
		}
		switch {
		case frame.Stdout != nil && stdout != nil:
			if _, err := stdout.Write(frame.Stdout.Data); err != nil {
				return 0, fmt.Errorf("writing stdout: %w", err)
			}
		case frame.Stderr != nil && stderr != nil:
			if _, err := stderr.Write(frame.Stderr.Data); err != nil {
				return 0, fmt.Errorf("writing stderr: %w", err)
			}
		case frame.Exited && frame.Result != nil:
			return frame.Result.ExitCode, nil
		}
	}
}

// dialExec opens the exec websocket. An agent refusing the upgrade answers
// with an HTTP error, returned as a *StatusError.
func (c *Client) dialExec(ctx context.Context, req *ExecRequest) (*websocket.Conn, error) {
	cmd, err := json.Marshal(req.Command)
	if err != nil {
		return nil, fmt.Errorf("encoding command: %w", err)
	}
	params := c.params(&QueryOptions{Params: map[string]string{
		"task": req.Task, "command": string(cmd), "tty": strconv.FormatBool(req.TTY),
	}})
	u := *c.base
	u.Scheme = map[string]string{"http": "ws", "https": "wss"}[u.Scheme]
	u.Path = strings.TrimRight(u.Path, "/") + "/v1/client/allocation/" + url.PathEscape(req.AllocID) + "/exec"
	u.RawQuery = params.Encode()
	header := http.Header{}
	if c.token != "" {
		header.Set("X-Nomad-Token", c.token)
	}
	dialer := websocket.Dialer{HandshakeTimeout: 30 * time.Second}
	if t, ok := c.http.Transport.(*http.Transport); ok {
		dialer.NetDialContext = t.DialContext
		dialer.TLSClientConfig = t.TLSClientConfig
		dialer.Proxy = t.Proxy
	}
	conn, resp, err := dialer.DialContext(ctx, u.String(), header)
	if err != nil {
		if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols {
			defer resp.Body.Close()
			return nil, newStatusError(resp)
		}
		return nil, fmt.Errorf("connecting to %s: %w", u.Redacted(), err)
	}
	return conn, nil
}
