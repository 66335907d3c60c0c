// Package rawexec is the raw_exec driver: it forks and execs the task's
// command as the agent's user (or the task's user when the agent may switch
// users), with no isolation at all. The task runs in its own process group
// so that a kill reaches everything it started.
package rawexec

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"sort"
	"strconv"
	"syscall"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/structs"
)

// Name is the driver's name in job files.
const Name = "raw_exec"

// Config is raw_exec's task config block.
type Config struct {
	// Command is the program to run, found through PATH or relative to the
	// task directory.
	Command string `config:"command,required"`
	// Args are the program's arguments.
	Args []string `config:"args"`
}

// Driver runs tasks as plain processes. Whether raw_exec is allowed at all
// is the agent configuration's decision; the driver itself always works.
type Driver struct {
	logger hclog.Logger
}

// New returns a raw_exec driver logging to logger.
func New(logger hclog.Logger) *Driver {
	if logger == nil {
		logger = hclog.NewNullLogger()
	}
	return &Driver{logger: logger.Named(Name)}
}

// Name implements driver.Driver.
func (d *Driver) Name() string { return Name }

// Fingerprint implements driver.Driver.
func (d *Driver) Fingerprint(ctx context.Context) *structs.DriverInfo {
	return &structs.DriverInfo{Detected: true, Healthy: true, HealthDescription: "Healthy", Attributes: map[string]string{}}
}

// ValidateConfig implements driver.Driver.
func (d *Driver) ValidateConfig(config map[string]interface{}) error {
	var c Config
	return driver.DecodeConfig(Name, config, &c)
}

// StartTask implements driver.Driver.
func (d *Driver) StartTask(ctx context.Context, cfg *driver.TaskConfig) (driver.TaskHandle, error) {
	var c Config
	if err := driver.DecodeConfig(Name, cfg.Config, &c); err != nil {
		return nil, err
	}
	path, err := lookupCommand(c.Command, cfg.TaskDir, cfg.Env["PATH"])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	logs, err := driver.OpenLogs(cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	// The child holds its own copies of the log descriptors.
	defer logs.CloseFiles()

	cmd := exec.Command(path, c.Args...)
	cmd.Args[0] = c.Command
	cmd.Dir = cfg.TaskDir
	cmd.Env = envList(cfg.Env)
	cmd.Stdout = logs.Stdout
	cmd.Stderr = logs.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if cfg.User != "" {
		cred, err := credentialFor(cfg.User)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", Name, err)
		}
		cmd.SysProcAttr.Credential = cred
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: starting %q: %w", Name, c.Command, err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: starting %q: %w", Name, c.Command, err)
	}
	d.logger.Debug("started task", "alloc_id", cfg.AllocID, "task", cfg.TaskName, "pid", cmd.Process.Pid)
	return newHandle(cmd, logs, d.logger), nil
}

func envList(env map[string]string) []string {
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// credentialFor resolves a user name to the credential to run as. Switching
// users only works when the agent runs as root.
func credentialFor(name string) (*syscall.Credential, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("looking up user %q: %w", name, err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("user %q: uid %q: %w", name, u.Uid, err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("user %q: gid %q: %w", name, u.Gid, err)
	}
	if uint64(os.Getuid()) == uid {
		return nil, nil
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}
