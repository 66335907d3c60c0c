// Command drover is the Drover cluster scheduler: agent and CLI in one
// binary. It behaves the same under any name (for example a `nomad`
// symlink): only the arguments select what it does.
package main

import (
	"os"

	"github.com/drover-project/drover/command"
)

func main() {
	os.Exit(command.Run(os.Args[1:], os.Stdout, os.Stderr))
}
