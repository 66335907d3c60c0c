// Command drover is the Drover cluster scheduler: agent and CLI in one
// binary. It behaves the same under any name (for example a `nomad`
// symlink): only the arguments select what it does.
package main

import (
	"os"

	"github.com/drover-project/drover/agent"
	"github.com/drover-project/drover/command"
	execdriver "github.com/drover-project/drover/driver/exec"
	"github.com/drover-project/drover/driver/supervisor"
)

func main() {
	// The exec driver re-executes this binary as a container's init.
	if execdriver.IsInitProcess(os.Args) {
		execdriver.RunInit()
	}
	// The client re-executes it as the supervisor of each task.
	if supervisor.IsSupervisorProcess(os.Args) {
		supervisor.RunSupervisor(agent.SupervisorBuilders())
	}
	os.Exit(command.Run(os.Args[1:], os.Stdout, os.Stderr))
}
