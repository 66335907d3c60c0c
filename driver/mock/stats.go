package mock

import (
	"fmt"
	"time"

	"github.com/drover-project/drover/structs"
)

// Stats implements driver.StatsReporter with the usage set in the task's
// config (stats_cpu_percent, stats_rss_bytes).
func (h *handle) Stats() (*structs.TaskResourceUsage, error) {
	select {
	case <-h.Done():
		return nil, fmt.Errorf("%s: stats: task has exited", Name)
	default:
	}
	return &structs.TaskResourceUsage{
		ResourceUsage: &structs.ResourceUsage{
			MemoryStats: &structs.MemoryStats{RSS: uint64(h.cfg.StatsRSSBytes), Measured: []string{"RSS"}},
			CpuStats:    &structs.CpuStats{Percent: float64(h.cfg.StatsCPUPercent), Measured: []string{"Percent"}},
		},
		Timestamp: time.Now().UnixNano(),
	}, nil
}
