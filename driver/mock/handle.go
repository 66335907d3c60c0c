package mock

import (
	"fmt"
	"sync"
	"syscall"
	"time"

	"github.com/drover-project/drover/driver"
)

// handle is a pretend task: it ends when its run_for timer fires or when it
// is killed, whichever comes first.
type handle struct {
	cfg *Config

	*driver.Exit

	mu    sync.Mutex
	timer *time.Timer // run_for timer, nil when the task runs until killed
}

func newHandle(c *Config) *handle {
	h := &handle{cfg: c, Exit: driver.NewExit()}
	if !c.runForever {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.timer = time.AfterFunc(c.RunFor, func() {
			code := c.ExitCode
			if c.ExitSignal != 0 && code == 0 {
				code = 128 + c.ExitSignal
			}
			h.exit(&driver.ExitResult{ExitCode: code, Signal: c.ExitSignal})
		})
	}
	return h
}

// exit records the first result only.
func (h *handle) exit(res *driver.ExitResult) {
	h.Set(res)
	h.mu.Lock()
	if h.timer != nil {
		h.timer.Stop()
	}
	h.mu.Unlock()
}

// Kill implements driver.TaskHandle. The task exits kill_after after the
// signal (at once by default), or with SIGKILL at timeout if that is sooner.
func (h *handle) Kill(signal string, timeout time.Duration) error {
	sig, err := driver.ParseSignal(signal)
	if err != nil {
		return fmt.Errorf("%s: kill: %w", Name, err)
	}
	select {
	case <-h.Done():
		return nil
	default:
	}
	wait := h.cfg.KillAfter
	if wait > timeout {
		wait, sig = timeout, syscall.SIGKILL
	}
	if wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-h.Done(): // exited on its own meanwhile
			t.Stop()
			return nil
		}
	}
	h.exit(&driver.ExitResult{ExitCode: 128 + int(sig), Signal: int(sig)})
	<-h.Done()
	return nil
}
