package structs

// Resource defaults, as in Nomad.
const (
	DefaultCPU      = 100
	DefaultMemoryMB = 300
)

// Resources is what a task asks for: CPU in MHz and memory in MB.
type Resources struct {
	CPU         int
	Cores       int
	MemoryMB    int
	MemoryMaxMB int
	DiskMB      int
}

func (r *Resources) canonicalize() {
	if r.CPU == 0 && r.Cores == 0 {
		r.CPU = DefaultCPU
	}
	if r.MemoryMB == 0 {
		r.MemoryMB = DefaultMemoryMB
	}
}

// Add adds o to r.
func (r *Resources) Add(o *Resources) {
	if o == nil {
		return
	}
	r.CPU += o.CPU
	r.MemoryMB += o.MemoryMB
	r.DiskMB += o.DiskMB
	r.Cores += o.Cores
}

// NodeResources is a node's capacity as fingerprinted by its client.
type NodeResources struct {
	Cpu    NodeCpuResources
	Memory NodeMemoryResources
	Disk   NodeDiskResources
}

// NodeCpuResources is total compute in MHz and the core count.
type NodeCpuResources struct {
	CpuShares          int64
	TotalCpuCores      uint16
	ReservableCpuCores []uint16
}

// NodeMemoryResources is total memory.
type NodeMemoryResources struct {
	MemoryMB int64
}

// NodeDiskResources is disk space for allocation directories.
type NodeDiskResources struct {
	DiskMB int64
}

// NodeReservedResources is held back from scheduling for the OS and agent.
type NodeReservedResources struct {
	Cpu    NodeReservedCpuResources
	Memory NodeReservedMemoryResources
}

// NodeReservedCpuResources is reserved CPU in MHz.
type NodeReservedCpuResources struct {
	CpuShares int64
}

// NodeReservedMemoryResources is reserved memory in MB.
type NodeReservedMemoryResources struct {
	MemoryMB int64
}

// AllocatedResources is what an allocation holds on its node.
type AllocatedResources struct {
	Tasks  map[string]*AllocatedTaskResources
	Shared AllocatedSharedResources
}

// AllocatedTaskResources is one task's share.
type AllocatedTaskResources struct {
	Cpu    AllocatedCpuResources
	Memory AllocatedMemoryResources
}

// AllocatedCpuResources is CPU in MHz.
type AllocatedCpuResources struct {
	CpuShares int64
}

// AllocatedMemoryResources is memory in MB.
type AllocatedMemoryResources struct {
	MemoryMB    int64
	MemoryMaxMB int64
}

// AllocatedSharedResources is shared by the group's tasks.
type AllocatedSharedResources struct {
	DiskMB int64
}

// Comparable flattens allocated resources for fit checks.
func (a *AllocatedResources) Comparable() ComparableResources {
	var c ComparableResources
	if a == nil {
		return c
	}
	for _, t := range a.Tasks {
		c.CPU += t.Cpu.CpuShares
		c.MemoryMB += t.Memory.MemoryMB
	}
	c.DiskMB = a.Shared.DiskMB
	return c
}

// ComparableResources is a flat sum used to check that allocations fit a node.
type ComparableResources struct {
	CPU      int64
	MemoryMB int64
	DiskMB   int64
}

// Add adds o to c.
func (c *ComparableResources) Add(o ComparableResources) {
	c.CPU += o.CPU
	c.MemoryMB += o.MemoryMB
	c.DiskMB += o.DiskMB
}

// Superset reports whether c can hold o, and if not, which dimension is
// exhausted ("cpu", "memory" or "disk").
func (c ComparableResources) Superset(o ComparableResources) (bool, string) {
	if c.CPU < o.CPU {
		return false, "cpu"
	}
	if c.MemoryMB < o.MemoryMB {
		return false, "memory"
	}
	if c.DiskMB < o.DiskMB {
		return false, "disk"
	}
	return true, ""
}

// AllocatedResourcesFor builds what a task group's allocation holds.
func AllocatedResourcesFor(tg *TaskGroup) *AllocatedResources {
	ar := &AllocatedResources{Tasks: make(map[string]*AllocatedTaskResources, len(tg.Tasks))}
	for _, t := range tg.Tasks {
		r := t.Resources
		if r == nil {
			r = &Resources{}
		}
		ar.Tasks[t.Name] = &AllocatedTaskResources{
			Cpu:    AllocatedCpuResources{CpuShares: int64(r.CPU)},
			Memory: AllocatedMemoryResources{MemoryMB: int64(r.MemoryMB), MemoryMaxMB: int64(r.MemoryMaxMB)},
		}
	}
	return ar
}
