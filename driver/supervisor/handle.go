package supervisor

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/structs"
)

// killGrace is how long Kill waits, beyond the kill timeout, for the
// supervisor to answer.
const killGrace = 30 * time.Second

// handleState is a handle's serialised form.
type handleState struct {
	Dir string
}

// handle is the client's side of a supervised task. It implements
// driver.RecoverableHandle, driver.ReleasableHandle, driver.Signaler and
// driver.StatsReporter; Signal and Stats fail when the wrapped driver's
// handles lack them.
type handle struct {
	dir    string
	logger hclog.Logger
	// inner is the supervised driver, in this process, for exec (exec.go).
	inner driver.Driver

	*driver.Exit
}

func newHandle(dir string, logger hclog.Logger) *handle {
	h := &handle{dir: dir, logger: logger, Exit: driver.NewExit()}
	go h.watch()
	return h
}

// watch waits for the task's exit: from the supervisor while it answers,
// else from the state it recorded before exiting.
func (h *handle) watch() {
	for {
		resp, err := call(h.dir, &request{Op: opWait}, 0)
		if err == nil && resp.Exit != nil {
			h.finish(resp.Exit.result())
			return
		}
		st, serr := ReadState(h.dir)
		if serr == nil && st.Exit != nil {
			h.finish(st.Exit.result())
			return
		}
		if errors.Is(err, errNotRunning) {
			h.finish(&driver.ExitResult{Err: fmt.Errorf("task supervisor in %s exited without recording the task's exit", h.dir)})
			return
		}
		// The connection broke while the supervisor was exiting; the next
		// call finds it gone, and its state on disk.
		h.logger.Debug("waiting on the task supervisor failed; retrying", "error", err)
		time.Sleep(100 * time.Millisecond)
	}
}

func (h *handle) finish(res *driver.ExitResult) { h.Set(res) }

// Kill implements driver.TaskHandle: the supervisor runs the driver's Kill.
func (h *handle) Kill(signal string, timeout time.Duration) error {
	select {
	case <-h.Done():
		return nil
	default:
	}
	_, err := call(h.dir, &request{Op: opKill, Signal: signal, Timeout: timeout}, timeout+killGrace)
	if errors.Is(err, errNotRunning) {
		<-h.Done() // watch sees the same and finishes
		return nil
	}
	if err != nil {
		return err
	}
	// The task has exited; wait for watch to have the result.
	select {
	case <-h.Done():
	case <-time.After(killGrace):
		return fmt.Errorf("task supervisor in %s did not report the exit of its killed task", h.dir)
	}
	return nil
}

// Signal implements driver.Signaler; the supervisor signals the task
// through its driver's handle.
func (h *handle) Signal(signal string) error {
	_, err := call(h.dir, &request{Op: opSignal, Signal: signal}, 10*time.Second)
	if errors.Is(err, errNotRunning) {
		return fmt.Errorf("task supervisor in %s: task has exited", h.dir)
	}
	return err
}

// Stats implements driver.StatsReporter.
func (h *handle) Stats() (*structs.TaskResourceUsage, error) {
	resp, err := call(h.dir, &request{Op: opStats}, 10*time.Second)
	if err != nil {
		return nil, err
	}
	return resp.Stats, nil
}

// HandleState implements driver.RecoverableHandle.
func (h *handle) HandleState() []byte {
	b, _ := json.Marshal(&handleState{Dir: h.dir}) // cannot fail: one string
	return b
}

// Release implements driver.ReleasableHandle: once the task has exited and
// the client has recorded it, the supervisor's directory goes.
func (h *handle) Release() error {
	select {
	case <-h.Done():
	default:
		return fmt.Errorf("task supervisor in %s: task still running", h.dir)
	}
	if err := os.RemoveAll(h.dir); err != nil {
		return fmt.Errorf("removing task supervisor directory: %w", err)
	}
	return nil
}
