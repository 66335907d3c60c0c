// Package mock is a driver that runs no processes. Its config scripts how a
// task behaves (how long it runs, how it exits, whether it fails to start),
// so client tests and the simulator exercise the task lifecycle cheaply.
package mock

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/structs"
)

// Name is the driver's name in job files.
const Name = "mock"

// Config is the mock driver's task config block.
type Config struct {
	// RunFor is how long the task runs before it exits on its own. When
	// run_for is not set at all the task runs until it is killed.
	RunFor time.Duration `config:"run_for"`
	// ExitCode is the code the task exits with after RunFor.
	ExitCode int `config:"exit_code"`
	// ExitSignal is the signal number reported when the task exits after
	// RunFor.
	ExitSignal int `config:"exit_signal"`
	// StartError makes StartTask fail with this message.
	StartError string `config:"start_error"`
	// StartBlockFor delays StartTask (before StartError applies).
	StartBlockFor time.Duration `config:"start_block_for"`
	// KillAfter is how long the task takes to exit once signalled; if that
	// is longer than the kill timeout it is force killed at the timeout.
	KillAfter time.Duration `config:"kill_after"`
	// StdoutString is written to the stdout log when the task starts.
	StdoutString string `config:"stdout_string"`
	// StatsCPUPercent and StatsRSSBytes are the usage the task reports.
	StatsCPUPercent int `config:"stats_cpu_percent"`
	StatsRSSBytes   int `config:"stats_rss_bytes"`

	runForever bool
}

// Driver is the mock driver.
type Driver struct{}

// New returns a mock driver.
func New() *Driver { return &Driver{} }

// Name implements driver.Driver.
func (d *Driver) Name() string { return Name }

// Fingerprint implements driver.Driver.
func (d *Driver) Fingerprint(ctx context.Context) *structs.DriverInfo {
	return &structs.DriverInfo{Detected: true, Healthy: true, HealthDescription: "Healthy", Attributes: map[string]string{}}
}

// ValidateConfig implements driver.Driver.
func (d *Driver) ValidateConfig(config map[string]interface{}) error {
	_, err := decode(config)
	return err
}

func decode(raw map[string]interface{}) (*Config, error) {
	var c Config
	if err := driver.DecodeConfig(Name, raw, &c); err != nil {
		return nil, err
	}
	if c.RunFor < 0 || c.StartBlockFor < 0 || c.KillAfter < 0 {
		return nil, fmt.Errorf("%s: config: durations must not be negative", Name)
	}
	_, set := raw["run_for"]
	c.runForever = !set
	return &c, nil
}

// StartTask implements driver.Driver.
func (d *Driver) StartTask(ctx context.Context, cfg *driver.TaskConfig) (driver.TaskHandle, error) {
	c, err := decode(cfg.Config)
	if err != nil {
		return nil, err
	}
	if c.StartBlockFor > 0 {
		t := time.NewTimer(c.StartBlockFor)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("%s: start: %w", Name, ctx.Err())
		}
	}
	if c.StartError != "" {
		return nil, errors.New(c.StartError)
	}
	if c.StdoutString != "" {
		if err := writeStdout(cfg, c.StdoutString); err != nil {
			return nil, fmt.Errorf("%s: %w", Name, err)
		}
	}
	return newHandle(c), nil
}

// writeStdout writes s to the task's stdout as a process would, through
// driver.OpenLogs (rotated when the config says so).
func writeStdout(cfg *driver.TaskConfig, s string) error {
	logs, err := driver.OpenLogs(cfg)
	if err != nil {
		return err
	}
	_, werr := logs.Stdout.WriteString(s)
	logs.CloseFiles()
	if werr != nil {
		return fmt.Errorf("writing stdout log: %w", werr)
	}
	logs.WaitFlushed()
	return nil
}
