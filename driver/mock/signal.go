package mock

import (
	"fmt"

	"github.com/drover-project/drover/driver"
)

// Signal implements driver.Signaler. The pretend task ignores signals it
// is sent, as a process with handlers for them would; it is an error once
// the task has exited.
func (h *handle) Signal(signal string) error {
	if _, err := driver.ParseSignal(signal); err != nil {
		return fmt.Errorf("%s: signal: %w", Name, err)
	}
	select {
	case <-h.Done():
		return fmt.Errorf("%s: signal: task has exited", Name)
	default:
		return nil
	}
}
