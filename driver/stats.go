package driver

// StatsReporter is implemented by task handles that can measure their
// task's resource usage. The client finds it with a type check; handles
// without it report no usage. Stats may be called concurrently with Wait
// and Kill; after the task has exited it returns an error.
type StatsReporter interface {
	Stats() (*TaskResourceUsage, error)
}

// TaskResourceUsage is one sample of a task's usage. Field names follow
// Nomad's api.TaskResourceUsage so the client can copy them across.
type TaskResourceUsage struct {
	// ResourceUsage is the usage of all the task's processes together.
	ResourceUsage *ResourceUsage
	// Timestamp is when the sample was taken, in Unix nanoseconds.
	Timestamp int64
	// Pids is usage per process, when the driver measures it (nil if not).
	Pids map[string]*ResourceUsage
}

// ResourceUsage is memory and CPU usage.
type ResourceUsage struct {
	MemoryStats *MemoryStats
	CpuStats    *CpuStats
}

// MemoryStats is memory usage in bytes. Measured names the fields the
// driver filled, with Nomad's names ("RSS", "Usage", "Max Usage", ...).
type MemoryStats struct {
	RSS            uint64
	Cache          uint64
	Swap           uint64
	Usage          uint64
	MaxUsage       uint64
	KernelUsage    uint64
	KernelMaxUsage uint64
	Measured       []string
}

// CpuStats is CPU usage. SystemMode, UserMode and Percent are percentages
// of one core over the interval since the handle's previous sample (since
// the task started, for the first). TotalTicks is in MHz, as Nomad reports
// it; a driver cannot know the node's MHz per core, so it leaves TotalTicks
// zero and the client sets it to Percent/100 × MHz per core. The *Nanos
// fields are cumulative CPU time since the task started; they are not in
// Nomad's API and are there for callers computing rates themselves.
type CpuStats struct {
	SystemMode       float64
	UserMode         float64
	TotalTicks       float64
	ThrottledPeriods uint64
	ThrottledTime    uint64
	Percent          float64
	Measured         []string

	TotalNanos  uint64
	UserNanos   uint64
	SystemNanos uint64
}
