package agent

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/driver"
	execdriver "github.com/drover-project/drover/driver/exec"
	"github.com/drover-project/drover/driver/rawexec"
	"github.com/drover-project/drover/driver/supervisor"
)

// SupervisorBuilders builds, inside a task supervisor process, the drivers
// whose tasks the client runs under supervisors. main hands them to
// supervisor.RunSupervisor.
func SupervisorBuilders() map[string]supervisor.Builder {
	return map[string]supervisor.Builder{
		rawexec.Name: func(logger hclog.Logger, _ []byte) (driver.Driver, error) {
			return rawexec.New(logger), nil
		},
		execdriver.Name: func(logger hclog.Logger, config []byte) (driver.Driver, error) {
			var cfg execdriver.Config
			if err := json.Unmarshal(config, &cfg); err != nil {
				return nil, fmt.Errorf("decoding exec driver config: %w", err)
			}
			return execdriver.NewWithConfig(logger, cfg)
		},
	}
}

// supervise wraps the drivers whose tasks must outlive the agent (raw_exec
// and exec) in task supervisors keeping state under dataDir, so that a
// restarted agent re-attaches to their tasks. The config each supervisor
// rebuilds its driver from is the one the agent built it with.
func supervise(drivers map[string]driver.Driver, logger hclog.Logger, dataDir string, exec execdriver.Config) (map[string]driver.Driver, error) {
	configs := map[string][]byte{rawexec.Name: nil}
	execCfg, err := json.Marshal(exec)
	if err != nil {
		return nil, fmt.Errorf("encoding exec driver config: %w", err)
	}
	configs[execdriver.Name] = execCfg
	out := make(map[string]driver.Driver, len(drivers))
	for name, d := range drivers {
		cfg, ok := configs[name]
		if !ok {
			out[name] = d // in-process only (mock)
			continue
		}
		sd, err := supervisor.New(d, supervisor.Config{
			Dir:          filepath.Join(dataDir, "sv"),
			DriverConfig: cfg,
			Logger:       logger.Named("driver." + name),
		})
		if err != nil {
			return nil, fmt.Errorf("driver %q: %w", name, err)
		}
		out[name] = sd
	}
	return out, nil
}

func execStateDir(dataDir string) string { return filepath.Join(dataDir, "exec") }

// execConfig is the exec driver's configuration: defaults, then the keys of
// its plugin block (allow_host_pid_mode, allow_host_ipc_mode). Unknown keys
// are errors.
func execConfig(dataDir string, plugin PluginConfig) (execdriver.Config, error) {
	cfg := execdriver.DefaultConfig(execStateDir(dataDir))
	for key, raw := range plugin.Config {
		var dst *bool
		switch key {
		case "allow_host_pid_mode":
			dst = &cfg.AllowHostPIDMode
		case "allow_host_ipc_mode":
			dst = &cfg.AllowHostIPCMode
		default:
			return cfg, fmt.Errorf(`plugin "exec" config: unknown key %q (known: allow_host_pid_mode, allow_host_ipc_mode)`, key)
		}
		s, _ := raw.(string)
		if err := json.Unmarshal([]byte(s), dst); err != nil {
			return cfg, fmt.Errorf(`plugin "exec" config: %s must be a bool`, key)
		}
	}
	return cfg, cfg.Validate()
}
