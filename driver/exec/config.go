package exec

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
)

// TaskConfig is the exec driver's task config block.
type TaskConfig struct {
	// Command is the program to run, resolved inside the task's root: an
	// absolute path, a path relative to the task directory (which is / in
	// the chroot), or a bare name looked up in the task's PATH.
	Command string `config:"command,required"`
	// Args are the program's arguments.
	Args []string `config:"args"`
	// PidMode is "private" (the default: the task sees only its own
	// processes) or "host" (it shares the host's pid namespace), which the
	// node must allow (Config.AllowHostPIDMode).
	PidMode string `config:"pid_mode"`
	// IpcMode is "private" (the default) or "host" (the host's System V
	// IPC and POSIX message queues), which the node must allow
	// (Config.AllowHostIPCMode).
	IpcMode string `config:"ipc_mode"`
	// CPUHardLimit caps the task's CPU time at what it asked for in MHz
	// (resources.cpu relative to the node's MHz per core) instead of only
	// weighting it. A task asking for whole cores (resources.cores) is
	// always capped at them.
	CPUHardLimit bool `config:"cpu_hard_limit"`
}

// Namespace modes of pid_mode and ipc_mode.
const (
	ModePrivate = "private"
	ModeHost    = "host"
)

// validate checks the values of c, not whether the node allows them:
// the servers validate job files without knowing the node.
func (c *TaskConfig) validate() error {
	var errs []error
	for _, f := range []struct{ name, val string }{{"pid_mode", c.PidMode}, {"ipc_mode", c.IpcMode}} {
		if f.val != "" && f.val != ModePrivate && f.val != ModeHost {
			errs = append(errs, fmt.Errorf("%s %q must be %q or %q", f.name, f.val, ModePrivate, ModeHost))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s: config: %w", Name, errors.Join(errs...))
	}
	return nil
}

// checkAllowed refuses the host namespaces the node does not allow.
func (c *TaskConfig) checkAllowed(cfg *Config) error {
	if c.PidMode == ModeHost && !cfg.AllowHostPIDMode {
		return fmt.Errorf(`pid_mode "host" is not allowed on this node (the exec driver's allow_host_pid_mode is off)`)
	}
	if c.IpcMode == ModeHost && !cfg.AllowHostIPCMode {
		return fmt.Errorf(`ipc_mode "host" is not allowed on this node (the exec driver's allow_host_ipc_mode is off)`)
	}
	return nil
}

// DefaultChrootEnv is Nomad's default chroot_env: host paths bound
// read-only into every task's root at the same place. Paths the host does
// not have are skipped.
func DefaultChrootEnv() map[string]string {
	return map[string]string{
		"/bin":            "/bin",
		"/etc":            "/etc",
		"/lib":            "/lib",
		"/lib32":          "/lib32",
		"/lib64":          "/lib64",
		"/run/resolvconf": "/run/resolvconf",
		"/sbin":           "/sbin",
		"/usr":            "/usr",
	}
}

// Default limits and names.
const (
	// DefaultUser is who tasks run as when they name no user, as in Nomad.
	DefaultUser = "nobody"
	// DefaultPidsLimit caps the processes of one task so that a fork bomb
	// is held inside its cgroup.
	DefaultPidsLimit = 4096
	// DefaultCgroupParent is where task cgroups go, under each controller's
	// root (v1) or the unified root (v2).
	DefaultCgroupParent = "/drover"
)

// Config is how the driver is set up on a node. It is fixed for the
// driver's lifetime.
type Config struct {
	// StateDir holds libcontainer's per-container state; it belongs under
	// the client's data_dir and must not be shared with another agent.
	StateDir string
	// ChrootEnv maps host paths to paths inside each task's root; all are
	// bound read-only. Nil means DefaultChrootEnv.
	ChrootEnv map[string]string
	// DefaultUser is the user of tasks that name none.
	DefaultUser string
	// PidsLimit is the most processes one task may have at once.
	PidsLimit int64
	// CgroupParent is the absolute cgroup path task cgroups are created
	// under, as <CgroupParent>/<container id>.
	CgroupParent string
	// AllowHostPIDMode lets tasks set pid_mode = "host" and see (and
	// signal, as their user may) every process of the host. Off by
	// default.
	AllowHostPIDMode bool
	// AllowHostIPCMode lets tasks set ipc_mode = "host". Off by default.
	AllowHostIPCMode bool
}

// DefaultConfig returns the driver's defaults with state kept in stateDir.
func DefaultConfig(stateDir string) Config {
	return Config{
		StateDir:     stateDir,
		ChrootEnv:    DefaultChrootEnv(),
		DefaultUser:  DefaultUser,
		PidsLimit:    DefaultPidsLimit,
		CgroupParent: DefaultCgroupParent,
	}
}

// Validate reports every problem with c.
func (c *Config) Validate() error {
	var errs []error
	if c.StateDir == "" || !filepath.IsAbs(c.StateDir) {
		errs = append(errs, fmt.Errorf("state dir %q must be an absolute path", c.StateDir))
	}
	if c.PidsLimit <= 0 {
		errs = append(errs, fmt.Errorf("pids limit %d must be positive", c.PidsLimit))
	}
	if !filepath.IsAbs(c.CgroupParent) {
		errs = append(errs, fmt.Errorf("cgroup parent %q must be an absolute path", c.CgroupParent))
	}
	for _, src := range sortedKeys(c.ChrootEnv) {
		dst := c.ChrootEnv[src]
		if !filepath.IsAbs(src) || !filepath.IsAbs(dst) || filepath.Clean(dst) == "/" {
			errs = append(errs, fmt.Errorf("chroot_env %q = %q: both must be absolute and the target not /", src, dst))
		}
		if reserved[filepath.Clean(dst)] {
			errs = append(errs, fmt.Errorf("chroot_env %q = %q: %s is the task's own", src, dst, dst))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("exec driver config: %w", errors.Join(errs...))
	}
	return nil
}

// reserved are the paths the driver mounts itself.
var reserved = map[string]bool{
	"/alloc": true, "/local": true, "/secrets": true, "/tmp": true,
	"/proc": true, "/dev": true, "/sys": true,
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
