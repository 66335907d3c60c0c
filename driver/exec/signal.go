package exec

import (
	"fmt"

	"github.com/drover-project/drover/driver"
)

// Signal implements driver.Signaler: the signal goes to the container's
// init, the task's command.
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
	return h.signal(sig)
}
