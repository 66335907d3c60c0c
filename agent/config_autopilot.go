package agent

import (
	"fmt"
	"time"

	"github.com/drover-project/drover/agent/server"
)

// AutopilotConfig holds the autopilot block's settings; unset fields keep
// the server's defaults (cleanup on, 10s stabilization, 200ms last contact,
// 250 trailing logs).
type AutopilotConfig struct {
	CleanupDeadServers      *bool
	ServerStabilizationTime time.Duration
	LastContactThreshold    time.Duration
	MaxTrailingLogs         *int
}

// apply overrides the server's autopilot defaults with what was set.
func (c AutopilotConfig) apply(dst *server.AutopilotConfig) {
	if c.CleanupDeadServers != nil {
		dst.CleanupDeadServers = *c.CleanupDeadServers
	}
	if c.ServerStabilizationTime > 0 {
		dst.ServerStabilizationTime = c.ServerStabilizationTime
	}
	if c.LastContactThreshold > 0 {
		dst.LastContactThreshold = c.LastContactThreshold
	}
	if c.MaxTrailingLogs != nil {
		dst.MaxTrailingLogs = uint64(*c.MaxTrailingLogs)
	}
}

// fileAutopilot is Nomad's top-level autopilot block. Enterprise-only keys
// (redundancy zones, upgrade migration) are not accepted.
type fileAutopilot struct {
	CleanupDeadServers      *bool   `hcl:"cleanup_dead_servers,optional"`
	ServerStabilizationTime *string `hcl:"server_stabilization_time,optional"`
	LastContactThreshold    *string `hcl:"last_contact_threshold,optional"`
	MaxTrailingLogs         *int    `hcl:"max_trailing_logs,optional"`
}

// mergeInto applies the block, when present, onto c.
func (f *fileAutopilot) mergeInto(c *AutopilotConfig) error {
	if f == nil {
		return nil
	}
	if f.CleanupDeadServers != nil {
		v := *f.CleanupDeadServers
		c.CleanupDeadServers = &v
	}
	if err := setDuration(&c.ServerStabilizationTime, f.ServerStabilizationTime, "autopilot.server_stabilization_time"); err != nil {
		return err
	}
	if err := setDuration(&c.LastContactThreshold, f.LastContactThreshold, "autopilot.last_contact_threshold"); err != nil {
		return err
	}
	if f.MaxTrailingLogs != nil {
		if *f.MaxTrailingLogs < 0 {
			return fmt.Errorf("autopilot.max_trailing_logs = %d: must not be negative", *f.MaxTrailingLogs)
		}
		v := *f.MaxTrailingLogs
		c.MaxTrailingLogs = &v
	}
	return nil
}
