// Package exec is the exec driver: it runs a task's command isolated in a
// container built with runc's libcontainer, in-process. The task gets its
// own root made of its task directory and read-only binds of host paths
// (chroot_env), private pid, mount, ipc and uts namespaces (the network is
// the host's), a cgroup limiting its memory, CPU shares and process count,
// and a non-root user ("nobody" by default) with Nomad's default
// capabilities.
//
// libcontainer starts a container by re-executing the agent's own binary
// with the argument "init"; the binary's main must hand such a process to
// RunInit before doing anything else (see IsInitProcess). The driver needs
// root and cgroups (v1 or v2); Fingerprint says why when it cannot work.
package exec

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/go-hclog"
	"github.com/opencontainers/runc/libcontainer"

	"github.com/drover-project/drover/driver"
)

// Name is the driver's name in job files.
const Name = "exec"

// defaultPath is the PATH of tasks whose environment sets none.
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// Driver runs tasks in containers. It is safe for concurrent use.
type Driver struct {
	cfg    Config
	logger hclog.Logger
	fp     fingerprinter
}

// New returns an exec driver with the default config, keeping container
// state in stateDir (a directory under the client's data_dir).
func New(logger hclog.Logger, stateDir string) *Driver {
	d, err := NewWithConfig(logger, DefaultConfig(stateDir))
	if err != nil {
		// Defaults only fail on a relative state dir; Fingerprint and
		// StartTask report it rather than the constructor panicking.
		d = &Driver{cfg: DefaultConfig(stateDir), logger: namedLogger(logger)}
		d.fp.configErr = err
	}
	return d
}

// NewWithConfig returns an exec driver set up by cfg.
func NewWithConfig(logger hclog.Logger, cfg Config) (*Driver, error) {
	if cfg.ChrootEnv == nil {
		cfg.ChrootEnv = DefaultChrootEnv()
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Driver{cfg: cfg, logger: namedLogger(logger)}, nil
}

func namedLogger(l hclog.Logger) hclog.Logger {
	if l == nil {
		l = hclog.NewNullLogger()
	}
	return l.Named(Name)
}

// Name implements driver.Driver.
func (d *Driver) Name() string { return Name }

// Capabilities implements driver.CapabilityReporter: tasks see their
// allocation at /alloc, /local and /secrets.
func (d *Driver) Capabilities() driver.Capabilities {
	return driver.Capabilities{FSIsolation: driver.FSIsolationChroot}
}

// ValidateConfig implements driver.Driver.
// Whether the node allows host namespaces is checked at start.
func (d *Driver) ValidateConfig(config map[string]interface{}) error {
	var c TaskConfig
	if err := driver.DecodeConfig(Name, config, &c); err != nil {
		return err
	}
	return c.validate()
}

// StartTask implements driver.Driver.
func (d *Driver) StartTask(ctx context.Context, cfg *driver.TaskConfig) (driver.TaskHandle, error) {
	if d.fp.configErr != nil {
		return nil, fmt.Errorf("%s: %w", Name, d.fp.configErr)
	}
	var c TaskConfig
	if err := driver.DecodeConfig(Name, cfg.Config, &c); err != nil {
		return nil, err
	}
	if c.Command == "" {
		return nil, fmt.Errorf("%s: config: empty command", Name)
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	if err := c.checkAllowed(&d.cfg); err != nil {
		return nil, fmt.Errorf("%s: task %q of alloc %s: %w", Name, cfg.TaskName, cfg.AllocID, err)
	}
	h, err := d.start(ctx, cfg, &c)
	if err != nil {
		return nil, fmt.Errorf("%s: task %q of alloc %s: %w", Name, cfg.TaskName, cfg.AllocID, err)
	}
	return h, nil
}

func (d *Driver) start(ctx context.Context, cfg *driver.TaskConfig, c *TaskConfig) (*handle, error) {
	if cfg.TaskDir == "" || cfg.AllocDir == "" {
		return nil, errors.New("task and alloc directories are required")
	}
	userName := cfg.User
	if userName == "" {
		userName = d.cfg.DefaultUser
	}
	u, err := lookupUser(userName)
	if err != nil {
		return nil, err
	}
	plan, err := planRootfs(d.cfg.ChrootEnv)
	if err != nil {
		return nil, err
	}
	if err := prepareRootfs(cfg.TaskDir, plan, u.uid, u.gid); err != nil {
		return nil, err
	}
	hostname, _ := os.Hostname()
	id := containerID(cfg.AllocID, cfg.TaskName)
	if err := d.removeStale(id); err != nil {
		return nil, err
	}
	quota, err := cpuQuota(cfg.Resources, c.CPUHardLimit, cfg.CPUMHzPerCore)
	if err != nil {
		return nil, err
	}
	spec := &containerSpec{
		id: id, rootfs: cfg.TaskDir, hostname: hostname, user: u, plan: plan,
		allocDir: cfg.AllocDir, secrets: filepath.Join(cfg.TaskDir, "secrets"),
		cgroupDir: d.cfg.CgroupParent, pidsLimit: d.cfg.PidsLimit, task: cfg,
		hostPID: c.PidMode == ModeHost, hostIPC: c.IpcMode == ModeHost, cpuQuota: quota,
	}
	logs, err := driver.OpenLogs(cfg)
	if err != nil {
		return nil, err
	}
	// The container's process holds its own copies of the descriptors.
	defer logs.CloseFiles()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	container, err := libcontainer.Create(d.cfg.StateDir, id, containerConfig(spec))
	if err != nil {
		return nil, fmt.Errorf("creating container %s: %w", id, err)
	}
	proc := &libcontainer.Process{
		Args:             append([]string{resolveCommand(c.Command, cfg.TaskDir)}, c.Args...),
		Env:              envList(cfg.Env),
		UID:              u.uid,
		GID:              u.gid,
		AdditionalGroups: u.groups,
		Cwd:              "/",
		Stdout:           logs.Stdout,
		Stderr:           logs.Stderr,
		Init:             true,
	}
	if err := container.Run(proc); err != nil {
		if derr := container.Destroy(); derr != nil {
			d.logger.Warn("destroying container that failed to start", "id", id, "error", derr)
		}
		return nil, fmt.Errorf("starting %q: %w", c.Command, err)
	}
	pid, _ := proc.Pid()
	d.logger.Debug("started task", "alloc_id", cfg.AllocID, "task", cfg.TaskName, "id", id, "pid", pid, "user", userName)
	return newHandle(container, proc, logs, d.logger), nil
}

// removeStale destroys a stopped container left under id by an earlier
// run (an agent that died before cleaning up). A running one is an error:
// the same task must not run twice.
func (d *Driver) removeStale(id string) error {
	old, err := libcontainer.Load(d.cfg.StateDir, id)
	if err != nil {
		return nil // nothing there, or nothing loadable: Create will say
	}
	st, err := old.Status()
	if err == nil && st != libcontainer.Stopped {
		return fmt.Errorf("container %s is already %s", id, st)
	}
	if err := old.Destroy(); err != nil {
		return fmt.Errorf("removing stale container %s: %w", id, err)
	}
	return nil
}

// resolveCommand maps a bare command name found in the task directory or
// its local/ to its path inside the root; anything else is left for the
// container to resolve against the task's PATH or its working directory.
func resolveCommand(command, taskDir string) string {
	if strings.Contains(command, "/") {
		return command
	}
	for _, rel := range []string{command, filepath.Join("local", command)} {
		fi, err := os.Lstat(filepath.Join(taskDir, rel))
		if err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0 {
			return "/" + rel
		}
	}
	return command
}

func envList(env map[string]string) []string {
	out := make([]string, 0, len(env)+1)
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	if _, ok := env["PATH"]; !ok {
		out = append(out, "PATH="+defaultPath)
	}
	sort.Strings(out)
	return out
}
