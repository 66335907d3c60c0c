package exec

import (
	"os"

	"github.com/opencontainers/runc/libcontainer"

	// The devices package registers the cgroup device-rule managers; without
	// it every container with device rules fails to start.
	_ "github.com/opencontainers/cgroups/devices"
	// nsenter is the C constructor that joins and sets up namespaces in the
	// re-executed init process before the Go runtime starts.
	_ "github.com/opencontainers/runc/libcontainer/nsenter"
)

// initArg is the argument libcontainer re-executes /proc/self/exe with when
// it starts a container's first process. libcontainer v1.5 hard-codes it,
// so the environment variable it always sets is checked too: "drover init"
// typed by a user (or a future CLI command of that name) has no
// _LIBCONTAINER_INITTYPE and is not mistaken for a container init.
const (
	initArg     = "init"
	initTypeEnv = "_LIBCONTAINER_INITTYPE"
)

// IsInitProcess reports whether this process is libcontainer's re-executed
// container init. main must check it before anything else, with os.Args:
//
//	if exec.IsInitProcess(os.Args) { exec.RunInit() }
func IsInitProcess(args []string) bool {
	return len(args) > 1 && args[1] == initArg && os.Getenv(initTypeEnv) != ""
}

// RunInit finishes setting up the container from inside it and then execs
// the task's command. It never returns: on failure it reports the error to
// the parent over libcontainer's pipe and exits.
func RunInit() {
	libcontainer.Init()
	os.Exit(255) // Init does not return; this is belt and braces.
}
