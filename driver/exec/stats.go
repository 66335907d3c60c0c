package exec

import (
	"fmt"
	"sync"
	"time"

	"github.com/opencontainers/cgroups"

	"github.com/drover-project/drover/structs"
)

// Names of the measured fields, as Nomad lists them.
var (
	memoryMeasured = []string{"RSS", "Cache", "Swap", "Usage", "Max Usage"}
	cpuMeasured    = []string{"System Mode", "User Mode", "Throttled Periods", "Throttled Time", "Percent"}
)

// statsState is the previous CPU sample, to turn cumulative CPU time into
// percentages over the interval between two Stats calls.
type statsState struct {
	mu                sync.Mutex
	at                time.Time
	total, user, syst uint64
}

func (s *statsState) init(start time.Time) { s.at = start }

// Stats implements driver.StatsReporter from the task's cgroup.
func (h *handle) Stats() (*structs.TaskResourceUsage, error) {
	select {
	case <-h.Done():
		return nil, fmt.Errorf("%s: stats: task has exited", Name)
	default:
	}
	st, err := h.container.Stats()
	if err != nil {
		return nil, fmt.Errorf("%s: stats of container %s: %w", Name, h.container.ID(), err)
	}
	now := time.Now()
	return &structs.TaskResourceUsage{
		ResourceUsage: &structs.ResourceUsage{
			MemoryStats: memoryStats(&st.CgroupStats.MemoryStats),
			CpuStats:    h.stats.cpu(now, &st.CgroupStats.CpuStats),
		},
		Timestamp: now.UnixNano(),
	}, nil
}

func memoryStats(m *cgroups.MemoryStats) *structs.MemoryStats {
	rss := m.Stats["total_rss"] // v1
	if rss == 0 {
		rss = m.Stats["rss"]
	}
	if rss == 0 {
		rss = m.Stats["anon"] // v2
	}
	swap := uint64(0)
	if m.SwapUsage.Usage > m.Usage.Usage { // v1: memsw includes memory
		swap = m.SwapUsage.Usage - m.Usage.Usage
	}
	if m.SwapOnlyUsage.Usage > 0 { // v2
		swap = m.SwapOnlyUsage.Usage
	}
	return &structs.MemoryStats{
		RSS:      rss,
		Cache:    m.Cache,
		Swap:     swap,
		Usage:    m.Usage.Usage,
		MaxUsage: m.Usage.MaxUsage,
		Measured: memoryMeasured,
	}
}

func (s *statsState) cpu(now time.Time, c *cgroups.CpuStats) *structs.CpuStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := c.CpuUsage
	out := &structs.CpuStats{
		ThrottledPeriods: c.ThrottlingData.ThrottledPeriods,
		ThrottledTime:    c.ThrottlingData.ThrottledTime,
		Measured:         cpuMeasured,
	}
	if wall := float64(now.Sub(s.at).Nanoseconds()); wall > 0 {
		out.Percent = percent(u.TotalUsage, s.total, wall)
		out.UserMode = percent(u.UsageInUsermode, s.user, wall)
		out.SystemMode = percent(u.UsageInKernelmode, s.syst, wall)
	}
	s.at, s.total, s.user, s.syst = now, u.TotalUsage, u.UsageInUsermode, u.UsageInKernelmode
	return out
}

func percent(cur, prev uint64, wallNanos float64) float64 {
	if cur < prev {
		return 0
	}
	return float64(cur-prev) / wallNanos * 100
}
