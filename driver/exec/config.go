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
