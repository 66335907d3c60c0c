package supervisor

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"syscall"
	"time"

	"github.com/drover-project/drover/structs"
)

// Operations a supervisor serves. Each connection carries one request and
// one response, both JSON.
const (
	opWait   = "wait"   // reply once the task has exited
	opKill   = "kill"   // Kill(Signal, Timeout); reply once it returned
	opStats  = "stats"  // one resource usage sample
	opPing   = "ping"   // empty reply: the supervisor is alive
	opSignal = "signal" // Signal(Signal) on a driver.Signaler handle
)

type request struct {
	Op      string
	Signal  string        `json:",omitempty"`
	Timeout time.Duration `json:",omitempty"`
}

type response struct {
	Error string                     `json:",omitempty"`
	Exit  *ExitRecord                `json:",omitempty"`
	Stats *structs.TaskResourceUsage `json:",omitempty"`
}

// errNotRunning is returned by call when no supervisor listens on the
// socket: it has exited (or was never started).
var errNotRunning = errors.New("supervisor not running")

// call sends req to the supervisor in dir and returns its response. A zero
// timeout waits as long as it takes.
func call(dir string, req *request, timeout time.Duration) (*response, error) {
	conn, err := net.DialTimeout("unix", filepath.Join(dir, sockFile), 10*time.Second)
	if err != nil {
		if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ENOENT) {
			return nil, errNotRunning
		}
		return nil, fmt.Errorf("connecting to supervisor in %s: %w", dir, err)
	}
	defer conn.Close()
	if timeout > 0 {
		if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
			return nil, err
		}
	}
	if err := json.NewEncoder(conn).Encode(req); err != nil {
		return nil, fmt.Errorf("sending %s request to supervisor in %s: %w", req.Op, dir, err)
	}
	var resp response
	if err := json.NewDecoder(conn).Decode(&resp); err != nil {
		return nil, fmt.Errorf("reading %s response from supervisor in %s: %w", req.Op, dir, err)
	}
	if resp.Error != "" {
		return &resp, errors.New(resp.Error)
	}
	return &resp, nil
}
