package mock

import (
	"fmt"
	"time"

	"github.com/drover-project/drover/driver"
)

// Stats implements driver.StatsReporter with the usage set in the task's
// config (stats_cpu_percent, stats_rss_bytes).
func (h *handle) Stats() (*driver.TaskResourceUsage, error) {
	select {
	case <-h.done:
		return nil, fmt.Errorf("%s: stats: task has exited", Name)
	default:
	}
	return &driver.TaskResourceUsage{
		ResourceUsage: &driver.ResourceUsage{
			MemoryStats: &driver.MemoryStats{RSS: uint64(h.cfg.StatsRSSBytes), Measured: []string{"RSS"}},
			CpuStats:    &driver.CpuStats{Percent: float64(h.cfg.StatsCPUPercent), Measured: []string{"Percent"}},
		},
		Timestamp: time.Now().UnixNano(),
	}, nil
}
