package structs

// Node statuses.
const (
	NodeStatusInit         = "initializing"
	NodeStatusReady        = "ready"
	NodeStatusDown         = "down"
	NodeStatusDisconnected = "disconnected"
)

// Node scheduling eligibility.
const (
	NodeSchedulingEligible   = "eligible"
	NodeSchedulingIneligible = "ineligible"
)

// Node is a client machine that runs allocations.
type Node struct {
	ID                    string
	SecretID              string `json:"-" codec:"SecretID"` // never shown over HTTP
	Datacenter            string
	Name                  string
	HTTPAddr              string
	Attributes            map[string]string
	NodeResources         *NodeResources
	ReservedResources     *NodeReservedResources
	Meta                  map[string]string
	NodeClass             string
	NodePool              string
	Drivers               map[string]*DriverInfo
	Status                string
	StatusDescription     string
	StatusUpdatedAt       int64
	SchedulingEligibility string
	// Drain is true while DrainStrategy is set (Nomad keeps both).
	Drain         bool
	DrainStrategy *DrainStrategy
	Events        []*NodeEvent
	CreateIndex   uint64
	ModifyIndex   uint64
}

// DriverInfo is a driver's fingerprint on a node.
type DriverInfo struct {
	Attributes        map[string]string
	Detected          bool
	Healthy           bool
	HealthDescription string
	UpdateTime        int64
}

// NodeEvent records something that happened to a node.
type NodeEvent struct {
	Message     string
	Subsystem   string
	Details     map[string]string
	Timestamp   int64
	CreateIndex uint64
}

// Copy returns a deep copy of the node.
func (n *Node) Copy() *Node {
	if n == nil {
		return nil
	}
	c := *n
	c.Attributes = copyStringMap(n.Attributes)
	c.Meta = copyStringMap(n.Meta)
	if n.NodeResources != nil {
		r := *n.NodeResources
		c.NodeResources = &r
	}
	if n.ReservedResources != nil {
		r := *n.ReservedResources
		c.ReservedResources = &r
	}
	if n.Drivers != nil {
		c.Drivers = make(map[string]*DriverInfo, len(n.Drivers))
		for k, d := range n.Drivers {
			dd := *d
			dd.Attributes = copyStringMap(d.Attributes)
			c.Drivers[k] = &dd
		}
	}
	c.Events = append([]*NodeEvent(nil), n.Events...)
	c.DrainStrategy = n.DrainStrategy.Copy()
	return &c
}

// Ready reports whether the scheduler may place work on the node.
func (n *Node) Ready() bool {
	return n.Status == NodeStatusReady && n.SchedulingEligibility != NodeSchedulingIneligible && !n.Drain
}

// Terminal reports whether the node is gone for good (down).
func (n *Node) Terminal() bool { return n.Status == NodeStatusDown }

// Capacity is what the scheduler may hand out on the node.
func (n *Node) Capacity() ComparableResources {
	var c ComparableResources
	if n.NodeResources != nil {
		c.CPU = n.NodeResources.Cpu.CpuShares
		c.MemoryMB = n.NodeResources.Memory.MemoryMB
		c.DiskMB = n.NodeResources.Disk.DiskMB
	}
	if n.ReservedResources != nil {
		c.CPU -= n.ReservedResources.Cpu.CpuShares
		c.MemoryMB -= n.ReservedResources.Memory.MemoryMB
	}
	return c
}

// Stub returns the node's list form.
func (n *Node) Stub() *NodeListStub {
	addr := n.Attributes["unique.network.ip-address"]
	return &NodeListStub{
		Address: addr, ID: n.ID, Datacenter: n.Datacenter, Name: n.Name, NodeClass: n.NodeClass,
		NodePool: n.NodePool, Version: n.Attributes["nomad.version"], Drain: n.Drain,
		SchedulingEligibility: n.SchedulingEligibility, Status: n.Status,
		StatusDescription: n.StatusDescription, Drivers: n.Drivers,
		CreateIndex: n.CreateIndex, ModifyIndex: n.ModifyIndex,
	}
}

// NodeListStub is the node's form in lists (/v1/nodes).
type NodeListStub struct {
	Address               string
	ID                    string
	Attributes            map[string]string `json:",omitempty"`
	Datacenter            string
	Name                  string
	NodeClass             string
	NodePool              string
	Version               string
	Drain                 bool
	SchedulingEligibility string
	Status                string
	StatusDescription     string
	Drivers               map[string]*DriverInfo
	NodeResources         *NodeResources `json:",omitempty"`
	CreateIndex           uint64
	ModifyIndex           uint64
}
