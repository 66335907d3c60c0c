package rawexec

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/drover-project/drover/driver"
)

// Signal implements driver.Signaler: the signal goes to the task's whole
// process group, as its kill signal does.
func (h *handle) Signal(signal string) error {
	sig, err := driver.ParseSignal(signal)
	if err != nil {
		return fmt.Errorf("%s: signal: %w", Name, err)
	}
	select {
	case <-h.Done():
		return fmt.Errorf("%s: signal: task has exited", Name)
	default:
	}
	if err := syscall.Kill(-h.pgid, sig); err != nil {
		if errors.Is(err, syscall.ESRCH) {
			return fmt.Errorf("%s: signal: task has exited", Name)
		}
		return fmt.Errorf("%s: sending %v to process group %d: %w", Name, sig, h.pgid, err)
	}
	return nil
}
