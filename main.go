// Command drover is the Drover cluster scheduler: agent and CLI in one
// binary. It behaves the same under any name (for example a `nomad`
// symlink): only the arguments select what it does.
package main

import (
	"os"

	"github.com/drover-project/drover/command"
	execdriver "github.com/drover-project/drover/driver/exec"
)

func main() {
	// The exec driver re-executes this binary as a container's init.
	if execdriver.IsInitProcess(os.Args) {
		execdriver.RunInit()
	}
	os.Exit(command.Run(os.Args[1:], os.Stdout, os.Stderr))
}
