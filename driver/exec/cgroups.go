package exec

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/opencontainers/cgroups"
	"github.com/opencontainers/runc/libcontainer/specconv"

	"github.com/drover-project/drover/structs"
)

// Limits of cgroup v1 cpu.shares; v2 weights are converted from them.
const (
	minCPUShares = 2
	maxCPUShares = 262144
)

// cgroupConfig is the task's cgroup: <parent>/<id> with its memory, CPU
// and pids limits and the default device rules. It works on v1 and v2: the
// same Resources are translated by libcontainer's fs or fs2 manager.
func cgroupConfig(parent, id string, res *structs.Resources, pidsLimit int64) *cgroups.Cgroup {
	r := &cgroups.Resources{PidsLimit: &pidsLimit}
	for _, d := range specconv.AllowedDevices {
		rule := d.Rule
		r.Devices = append(r.Devices, &rule)
	}
	if res != nil {
		limit, soft := memoryLimits(res)
		if limit > 0 {
			r.Memory = limit
			// Swap counts with memory (v1 memsw, v2 swap.max = 0), so a
			// task over its limit is OOM-killed instead of swapping.
			r.MemorySwap = limit
			r.MemoryReservation = soft
		}
		r.CpuShares = cpuShares(res.CPU)
	}
	return &cgroups.Cgroup{Path: filepath.Join(parent, id), Resources: r}
}

// memoryLimits returns the hard limit and the soft reservation in bytes.
// With memory_max set, memory is the reservation and memory_max the limit;
// otherwise memory is the limit and there is no reservation.
func memoryLimits(res *structs.Resources) (limit, soft int64) {
	const mb = 1 << 20
	if res.MemoryMaxMB > 0 {
		return int64(res.MemoryMaxMB) * mb, int64(res.MemoryMB) * mb
	}
	return int64(res.MemoryMB) * mb, 0
}

// cpuShares turns a CPU ask in MHz into cpu.shares.
func cpuShares(mhz int) uint64 {
	switch {
	case mhz < minCPUShares:
		return minCPUShares
	case mhz > maxCPUShares:
		return maxCPUShares
	}
	return uint64(mhz)
}

// requiredControllers are the cgroup controllers the driver limits with.
var requiredControllers = []string{"memory", "cpu", "pids", "devices"}

// missingControllers lists the required controllers this host lacks.
func missingControllers() ([]string, error) {
	have := map[string]bool{}
	if cgroups.IsCgroup2UnifiedMode() {
		b, err := os.ReadFile("/sys/fs/cgroup/cgroup.controllers")
		if err != nil {
			return nil, fmt.Errorf("reading cgroup v2 controllers: %w", err)
		}
		for _, c := range strings.Fields(string(b)) {
			have[c] = true
		}
		have["devices"] = true // an eBPF program on v2, not a controller
	} else {
		subs, err := cgroups.GetAllSubsystems()
		if err != nil {
			return nil, fmt.Errorf("listing cgroup v1 controllers: %w", err)
		}
		for _, s := range subs {
			if _, err := cgroups.FindCgroupMountpoint("", s); err == nil {
				have[s] = true
			}
		}
	}
	var missing []string
	for _, c := range requiredControllers {
		if !have[c] {
			missing = append(missing, c)
		}
	}
	return missing, nil
}

// oomKills reads how many times the kernel OOM-killed a process of the
// cgroup whose paths are given (libcontainer's State.CgroupPaths). It must
// be read before the container is destroyed, which removes the cgroup.
// memory.failcnt is no use here: with swap limited it stays 0.
func oomKills(paths map[string]string) (uint64, error) {
	var file string
	if cgroups.IsCgroup2UnifiedMode() {
		file = filepath.Join(paths[""], "memory.events")
	} else {
		file = filepath.Join(paths["memory"], "memory.oom_control")
	}
	if file == "memory.events" || file == "memory.oom_control" {
		return 0, errors.New("task has no memory cgroup")
	}
	f, err := os.Open(file)
	if err != nil {
		return 0, fmt.Errorf("reading OOM kills: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), " ")
		if ok && k == "oom_kill" {
			n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("parsing %s: %w", file, err)
			}
			return n, nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("reading %s: %w", file, err)
	}
	// Kernels before 4.13 (v1) have no oom_kill counter.
	return 0, fmt.Errorf("%s has no oom_kill counter", file)
}
