package agent

import (
	"os"
	"testing"

	execdriver "github.com/drover-project/drover/driver/exec"
)

// TestMain lets the exec driver re-execute the test binary as a container
// init, as main does for the drover binary.
func TestMain(m *testing.M) {
	if execdriver.IsInitProcess(os.Args) {
		execdriver.RunInit()
	}
	os.Exit(m.Run())
}
