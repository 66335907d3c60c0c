package command

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/drover-project/drover/api"
	"github.com/drover-project/drover/structs"
)

// nodeStatusCommand is `drover node status`.
type nodeStatusCommand struct{ *Meta }

func (c *nodeStatusCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover node status [options] [node]

  Without a node, lists client nodes. With a node (ID or unique ID
  prefix), shows its details, drivers, allocated resources and
  allocations.

Node Status Options:

  -self
    Show the node of the agent the command talks to.

  -verbose
    Print full IDs, node attributes and every driver's health.
`)
}

func (c *nodeStatusCommand) Synopsis() string { return "Display status information about nodes" }

func (c *nodeStatusCommand) Run(args []string) int {
	fs := c.FlagSet()
	self := fs.Bool("self", false, "")
	verbose := fs.Bool("verbose", false, "")
	if !c.parseFlags(fs, args) {
		return 1
	}
	if fs.NArg() > 1 || (*self && fs.NArg() == 1) {
		return c.wrongArgs("This command takes either no arguments or one: <node>")
	}
	client := c.client()
	if client == nil {
		return 1
	}
	var nodeID string
	switch {
	case *self:
		id, err := localNodeID(c.Meta, client)
		if err != nil {
			c.Errorf("Error determining local node: %v", err)
			return 1
		}
		nodeID = id
	case fs.NArg() == 1:
		id, code := c.resolveNode(client, fs.Arg(0), *verbose)
		if code != 0 {
			return code
		}
		nodeID = id
	default:
		return c.list(client, *verbose)
	}
	return c.show(client, nodeID, *verbose)
}

func (c *nodeStatusCommand) list(client *api.Client, verbose bool) int {
	nodes, _, err := client.Nodes().List(c.query(nil))
	if err != nil {
		c.Errorf("Error querying node status: %v", err)
		return 1
	}
	if len(nodes) == 0 {
		c.Outputf("No nodes registered")
		return 0
	}
	sort.Slice(nodes, func(i, j int) bool { return nodes[i].ID < nodes[j].ID })
	c.Outputf("%s", nodeListTable(nodes, verbose))
	return 0
}

// nodeListTable is the node list.
func nodeListTable(nodes []*structs.NodeListStub, verbose bool) string {
	header := "ID|Node Pool|DC|Name|Class|Drain|Eligibility|Status"
	if verbose {
		header = "ID|Node Pool|DC|Name|Class|Address|Version|Drain|Eligibility|Status"
	}
	rows := []string{header}
	for _, n := range nodes {
		mid := ""
		if verbose {
			mid = n.Address + "|" + n.Version + "|"
		}
		rows = append(rows, fmt.Sprintf("%s|%s|%s|%s|%s|%s%t|%s|%s", shortID(n.ID, verbose), n.NodePool,
			n.Datacenter, n.Name, orNone(n.NodeClass), mid, n.Drain, n.SchedulingEligibility, n.Status))
	}
	return columnize(rows)
}

func (c *nodeStatusCommand) show(client *api.Client, nodeID string, verbose bool) int {
	node, _, err := client.Nodes().Info(nodeID, c.query(nil))
	if err != nil {
		c.Errorf("Error querying node info: %v", err)
		return 1
	}
	allocs, _, err := client.Nodes().Allocations(nodeID, c.query(nil))
	if err != nil {
		c.Errorf("Error querying node allocations: %v", err)
		return 1
	}
	c.Outputf("%s", formatKV([]string{
		"ID|" + shortID(node.ID, verbose),
		"Name|" + node.Name,
		"Node Pool|" + node.NodePool,
		"Class|" + orNone(node.NodeClass),
		"DC|" + node.Datacenter,
		fmt.Sprintf("Drain|%s", drainSummary(node)),
		"Eligibility|" + node.SchedulingEligibility,
		"Status|" + node.Status,
		"Drivers|" + orNone(strings.Join(healthyDrivers(node), ",")),
	}))
	if verbose {
		c.Outputf("\nDrivers\n%s", driverTable(node))
	}
	if len(node.Events) > 0 {
		rows := []string{"Time|Subsystem|Message"}
		for i := len(node.Events) - 1; i >= 0; i-- {
			e := node.Events[i]
			rows = append(rows, fmt.Sprintf("%s|%s|%s", formatUnixNano(e.Timestamp), e.Subsystem, e.Message))
		}
		c.Outputf("\nNode Events\n%s", columnize(rows))
	}
	c.Outputf("\nAllocated Resources\n%s", allocatedResources(node, allocs))
	if verbose {
		c.Outputf("\nAttributes\n%s", attributes(node.Attributes))
	}
	c.Outputf("\nAllocations")
	if len(allocs) == 0 {
		c.Outputf("No allocations placed")
		return 0
	}
	sort.SliceStable(allocs, func(i, j int) bool { return allocs[i].CreateIndex > allocs[j].CreateIndex })
	stubs := make([]*structs.AllocListStub, len(allocs))
	for i, a := range allocs {
		stubs[i] = a.Stub()
	}
	c.Outputf("%s", c.allocTable(stubs, verbose))
	return 0
}

// healthyDrivers lists the drivers the node detected and reports healthy.
func healthyDrivers(n *structs.Node) []string {
	var out []string
	for _, name := range sortedKeys(n.Drivers) {
		if d := n.Drivers[name]; d != nil && d.Detected && d.Healthy {
			out = append(out, name)
		}
	}
	return out
}

// driverTable lists every fingerprinted driver with its health.
func driverTable(n *structs.Node) string {
	rows := []string{"Driver|Detected|Healthy|Message|Time"}
	for _, name := range sortedKeys(n.Drivers) {
		d := n.Drivers[name]
		if d == nil {
			continue
		}
		rows = append(rows, fmt.Sprintf("%s|%t|%t|%s|%s", name, d.Detected, d.Healthy,
			orNone(d.HealthDescription), formatUnixNano(d.UpdateTime)))
	}
	return columnize(rows)
}

// allocatedResources shows what the node's live allocations hold against
// its schedulable capacity.
func allocatedResources(n *structs.Node, allocs []*structs.Allocation) string {
	var used structs.ComparableResources
	for _, a := range allocs {
		if !a.TerminalStatus() {
			used.Add(a.AllocatedResources.Comparable())
		}
	}
	total := n.Capacity()
	return columnize([]string{
		"CPU|Memory|Disk",
		fmt.Sprintf("%d/%d MHz|%s/%s|%s/%s", used.CPU, total.CPU, formatMiB(used.MemoryMB), formatMiB(total.MemoryMB),
			formatMiB(used.DiskMB), formatMiB(total.DiskMB)),
	})
}

// attributes prints node attributes as sorted key = value lines.
func attributes(attrs map[string]string) string {
	if len(attrs) == 0 {
		return "<none>"
	}
	rows := make([]string, 0, len(attrs))
	for _, k := range sortedKeys(attrs) {
		rows = append(rows, k+"|"+attrs[k])
	}
	return formatKV(rows)
}

// localNodeID finds the node of the agent the client talks to: from the
// agent's client stats (node_id) as Nomad reports them, else by the
// agent's node name.
func localNodeID(m *Meta, client *api.Client) (string, error) {
	self, err := client.Agent().Self()
	if err != nil {
		return "", fmt.Errorf("querying agent info: %w", err)
	}
	if id := self.Stats["client"]["node_id"]; id != "" {
		return id, nil
	}
	name, _ := self.Config["NodeName"].(string)
	if name == "" {
		return "", errors.New("the agent reports no client node; is it running a client?")
	}
	nodes, _, err := client.Nodes().List(m.query(nil))
	if err != nil {
		return "", fmt.Errorf("listing nodes: %w", err)
	}
	for _, n := range nodes {
		if n.Name == name {
			return n.ID, nil
		}
	}
	return "", fmt.Errorf("no registered node is named %q; is the agent running a client?", name)
}

// drainSummary is "false", or "true" with the drain's deadline.
func drainSummary(n *structs.Node) string {
	ds := n.DrainStrategy
	if !n.Drain || ds == nil {
		return fmt.Sprintf("%t", n.Drain)
	}
	if ds.ForceDeadline.IsZero() {
		return "true; no deadline"
	}
	return "true; deadline " + formatTime(ds.ForceDeadline)
}
