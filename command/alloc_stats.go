package command

import (
	"fmt"
	"math"

	"github.com/drover-project/drover/structs"
)

// taskResources is the "Task Resources" table of alloc status: what the
// task asked for, or, with usage from alloc status -stats, what it uses
// out of it, in Nomad's layout ("0/100 MHz  1.2 MiB/64 MiB").
func taskResources(a *structs.Allocation, task string, usage *structs.AllocResourceUsage) string {
	cpu, mem := taskLimits(a, task)
	var tu *structs.TaskResourceUsage
	if usage != nil {
		tu = usage.Tasks[task]
	}
	if tu == nil || tu.ResourceUsage == nil {
		return columnize([]string{"CPU|Memory", fmt.Sprintf("%d MHz|%s", cpu, formatMiB(mem))})
	}
	var ticks float64
	var rss uint64
	if cs := tu.ResourceUsage.CpuStats; cs != nil {
		ticks = cs.TotalTicks
	}
	if ms := tu.ResourceUsage.MemoryStats; ms != nil {
		rss = ms.RSS
	}
	var disk int64
	if a.AllocatedResources != nil {
		disk = a.AllocatedResources.Shared.DiskMB
	}
	return columnize([]string{
		"CPU|Memory|Disk|Addresses",
		fmt.Sprintf("%v/%d MHz|%s/%s|%s|", math.Floor(ticks), cpu, formatIBytes(rss), formatMiB(mem), formatIBytes(uint64(disk)*1024*1024)),
	})
}

// formatIBytes formats a byte count in binary units as go-humanize's
// IBytes does: "0 B", "512 B", "1.2 MiB", "64 MiB".
func formatIBytes(n uint64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	v := float64(n) / 1024
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if v < 10 {
		return fmt.Sprintf("%.1f %s", v, units[i])
	}
	return fmt.Sprintf("%.0f %s", v, units[i])
}
