package agent

import (
	"os"
	"testing"

	execdriver "github.com/drover-project/drover/driver/exec"
	"github.com/drover-project/drover/driver/supervisor"
)

// TestMain lets the exec driver re-execute the test binary as a container
// init, and the client as a task supervisor, as main does for the drover
// binary.
func TestMain(m *testing.M) {
	if execdriver.IsInitProcess(os.Args) {
		execdriver.RunInit()
	}
	if supervisor.IsSupervisorProcess(os.Args) {
		supervisor.RunSupervisor(SupervisorBuilders())
	}
	os.Exit(m.Run())
}
