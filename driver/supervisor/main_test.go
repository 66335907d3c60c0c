package supervisor

import (
	"os"
	"testing"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/driver/rawexec"
)

// TestMain lets Driver re-execute the test binary as a supervisor, as main
// does for the agent binary.
func TestMain(m *testing.M) {
	if IsSupervisorProcess(os.Args) {
		RunSupervisor(testBuilders)
	}
	os.Exit(m.Run())
}

var testBuilders = map[string]Builder{
	rawexec.Name: func(logger hclog.Logger, _ []byte) (driver.Driver, error) { return rawexec.New(logger), nil },
}
