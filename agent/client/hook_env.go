package client

import (
	"context"

	"github.com/drover-project/drover/agent/client/taskenv"
	"github.com/drover-project/drover/driver"
)

// envHook builds the task's environment and interpolates the driver
// config against it. It runs before every start, so a restart after an
// in-place update sees the new allocation.
type envHook struct {
	region  string
	hostEnv map[string]string
}

func (h *envHook) Name() string { return "env" }

// Prestart implements taskPrestartHook.
func (h *envHook) Prestart(ctx context.Context, req *prestartRequest) error {
	p := taskenv.Params{
		Node:   req.Node,
		Region: h.region,
		Alloc:  req.Alloc,
		Task:   req.Task,
	}
	if req.Capabilities.FSIsolation == driver.FSIsolationNone {
		p.Dirs = taskenv.Dirs{AllocDir: req.AllocDir.SharedDir, TaskDir: req.TaskDir.LocalDir, SecretsDir: req.TaskDir.SecretsDir}
		p.HostEnv = h.hostEnv
	} else {
		p.Dirs = taskenv.Dirs{AllocDir: "/alloc", TaskDir: "/local", SecretsDir: "/secrets"}
	}
	env := taskenv.Build(p)
	req.Config.Env = env.Map()
	req.Config.Config = env.ReplaceConfig(req.Task.Config)
	req.Config.User = req.Task.User
	return nil
}
