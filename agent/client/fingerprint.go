package client

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"syscall"

	"github.com/drover-project/drover/structs"
)

// fallbackMHz is assumed per core when the CPU frequency cannot be read
// and Config.CPUTotalCompute does not say.
const fallbackMHz = 1000

// fingerprint builds the node the client registers: host attributes and
// resources, then one entry per enabled driver.
func (c *Client) fingerprint(ctx context.Context) *structs.Node {
	cfg := c.cfg
	facts, err := readHostFacts(cfg.HostRoot)
	if err != nil {
		c.logger.Warn("some host facts could not be fingerprinted", "error", err)
	}
	if facts.cores == 0 {
		facts.cores = runtime.NumCPU()
	}
	if facts.mhz == 0 && cfg.CPUTotalCompute == 0 {
		c.logger.Warn("CPU frequency unknown; assuming a default, set the total compute to override", "mhz", fallbackMHz)
		facts.mhz = fallbackMHz
	}
	hostname, err := os.Hostname()
	if err != nil {
		c.logger.Warn("reading hostname failed", "error", err)
	}

	total := int64(float64(facts.cores) * facts.mhz)
	if cfg.CPUTotalCompute > 0 {
		total = cfg.CPUTotalCompute
	}
	memMB := int64(facts.memBytes / (1024 * 1024))
	if cfg.MemoryTotalMB > 0 {
		memMB = cfg.MemoryTotalMB
	}
	attrs := map[string]string{
		"cpu.numcores":              strconv.Itoa(facts.cores),
		"cpu.frequency":             strconv.Itoa(int(facts.mhz)),
		"cpu.totalcompute":          strconv.FormatInt(total, 10),
		"cpu.arch":                  runtime.GOARCH,
		"memory.totalbytes":         strconv.FormatInt(memMB*1024*1024, 10),
		"kernel.name":               runtime.GOOS,
		"unique.hostname":           hostname,
		"unique.network.ip-address": cfg.NetworkIP,
		"nomad.version":             cfg.Version,
	}
	setIf(attrs, "cpu.modelname", facts.cpuModel)
	setIf(attrs, "kernel.version", facts.kernelVersion)
	setIf(attrs, "os.name", facts.osName)
	setIf(attrs, "os.version", facts.osVersion)

	var diskMB int64
	if free, size, err := diskSpace(cfg.AllocDir); err == nil {
		diskMB = int64(free / (1024 * 1024))
		attrs["unique.storage.bytesfree"] = strconv.FormatUint(free, 10)
		attrs["unique.storage.bytestotal"] = strconv.FormatUint(size, 10)
	} else {
		c.logger.Warn("disk space of the alloc dir unknown", "error", err)
	}

	now := c.clock.Now().UnixNano()
	drivers := make(map[string]*structs.DriverInfo, len(cfg.Drivers))
	for name, d := range cfg.Drivers {
		info := d.Fingerprint(ctx)
		if info == nil {
			info = &structs.DriverInfo{HealthDescription: "driver returned no fingerprint"}
		}
		info.UpdateTime = now
		drivers[name] = info
		if info.Detected && info.Healthy {
			attrs["driver."+name] = "1"
		}
	}

	node := &structs.Node{
		ID:         c.nodeID,
		SecretID:   c.secretID,
		Datacenter: cfg.Datacenter,
		Name:       cfg.NodeName,
		HTTPAddr:   cfg.HTTPAddr,
		Attributes: attrs,
		NodeResources: &structs.NodeResources{
			Cpu:    structs.NodeCpuResources{CpuShares: total, TotalCpuCores: uint16(facts.cores)},
			Memory: structs.NodeMemoryResources{MemoryMB: memMB},
			Disk:   structs.NodeDiskResources{DiskMB: diskMB},
		},
		ReservedResources:     &structs.NodeReservedResources{},
		Meta:                  copyMap(cfg.Meta),
		NodeClass:             cfg.NodeClass,
		NodePool:              cfg.NodePool,
		Drivers:               drivers,
		Status:                structs.NodeStatusReady,
		StatusUpdatedAt:       now,
		SchedulingEligibility: structs.NodeSchedulingEligible,
	}
	if cfg.Reserved != nil {
		r := *cfg.Reserved
		node.ReservedResources = &r
	}
	if node.Name == "" {
		node.Name = hostname
	}
	return node
}

func setIf(m map[string]string, k, v string) {
	if v != "" {
		m[k] = v
	}
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// diskSpace returns free and total bytes of the filesystem holding dir.
func diskSpace(dir string) (free, total uint64, err error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, 0, fmt.Errorf("statfs %s: %w", dir, err)
	}
	bsize := uint64(st.Bsize)
	return uint64(st.Bavail) * bsize, uint64(st.Blocks) * bsize, nil
}
