package exec

import (
	"errors"
	"math"

	"github.com/opencontainers/cgroups"

	"github.com/drover-project/drover/structs"
)

// CFS bandwidth: a task may use quota µs of CPU time per cpuPeriod µs,
// across all cores. The kernel refuses quotas under minCPUQuota.
const (
	cpuPeriod   = 100000
	minCPUQuota = 1000
)

// cpuQuota is the hard CPU cap of a task, in µs per cpuPeriod, or 0 for
// none. A task asking for whole cores gets exactly them; with
// cpu_hard_limit a task asking for MHz gets that share of the node's cores
// (mhzPerCore, which the client measured).
func cpuQuota(res *structs.Resources, hardLimit bool, mhzPerCore float64) (int64, error) {
	if res == nil {
		return 0, nil
	}
	var quota float64
	switch {
	case res.Cores > 0:
		quota = float64(res.Cores) * cpuPeriod
	case hardLimit:
		if mhzPerCore <= 0 {
			return 0, errors.New("cpu_hard_limit: the node's MHz per core is unknown")
		}
		quota = float64(res.CPU) / mhzPerCore * cpuPeriod
	default:
		return 0, nil
	}
	return max(int64(math.Round(quota)), minCPUQuota), nil
}

// withCPUQuota sets a CFS quota on cg (libcontainer writes it to
// cpu.cfs_quota_us and cpu.cfs_period_us on v1, cpu.max on v2).
func withCPUQuota(cg *cgroups.Cgroup, quota int64) *cgroups.Cgroup {
	if quota > 0 {
		cg.Resources.CpuQuota = quota
		cg.Resources.CpuPeriod = cpuPeriod
	}
	return cg
}
