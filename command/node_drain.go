package command

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/drover-project/drover/api"
	"github.com/drover-project/drover/structs"
)

// nodeDrainCommand is `drover node drain`.
type nodeDrainCommand struct{ *Meta }

func (c *nodeDrainCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover node drain [options] <node>

  Toggles drain mode on a node. A draining node is ineligible for new
  allocations; its service allocations migrate to other nodes as each
  group's migrate block allows, batch allocations run until the deadline,
  and at the deadline everything left is stopped and replaced. When the
  drain completes the node stays ineligible (node eligibility -enable
  makes it eligible again). Without -detach the command follows the drain
  until it completes.

Node Drain Options:

  -enable
    Enable draining for the node.

  -disable
    Disable draining for the node.

  -deadline <duration>
    How long allocations may take to migrate before they are forced off
    (default 1h).

  -no-deadline
    Never force allocations off.

  -force
    Stop every allocation immediately (a deadline of zero).

  -ignore-system
    Leave system job allocations on the node.

  -keep-ineligible
    With -disable, keep the node ineligible for scheduling.

  -self
    Drain the node of the agent the command talks to.

  -detach
    Return once the drain is set instead of following it.

  -yes
    Do not ask for confirmation.
`)
}

func (c *nodeDrainCommand) Synopsis() string { return "Toggle drain mode on a given node" }

func (c *nodeDrainCommand) Run(args []string) int {
	fs := c.FlagSet()
	enable := fs.Bool("enable", false, "")
	disable := fs.Bool("disable", false, "")
	deadline := fs.Duration("deadline", time.Hour, "")
	noDeadline := fs.Bool("no-deadline", false, "")
	force := fs.Bool("force", false, "")
	ignoreSystem := fs.Bool("ignore-system", false, "")
	keepIneligible := fs.Bool("keep-ineligible", false, "")
	self := fs.Bool("self", false, "")
	detach := fs.Bool("detach", false, "")
	yes := fs.Bool("yes", false, "")
	if !c.parseFlags(fs, args) {
		return 1
	}
	if *enable == *disable {
		c.Errorf("Error: exactly one of the '-enable' or '-disable' flags must be set")
		return 1
	}
	if (*self && fs.NArg() != 0) || (!*self && fs.NArg() != 1) {
		return c.wrongArgs("This command takes one argument: <node>")
	}
	if *enable && ((*noDeadline && *force) || ((*noDeadline || *force) && flagSet(fs, "deadline"))) {
		c.Errorf("Error: only one of -deadline, -no-deadline and -force may be given")
		return 1
	}
	if *enable && *deadline <= 0 && !*noDeadline && !*force {
		c.Errorf("Error: -deadline must be positive (use -force to stop allocations at once)")
		return 1
	}
	client := c.client()
	if client == nil {
		return 1
	}
	nodeID, code := c.targetNode(client, *self, fs.Arg(0))
	if code != 0 {
		return code
	}
	if !*yes {
		verb := "enable"
		if *disable {
			verb = "disable"
		}
		if !c.confirm(fmt.Sprintf("Are you sure you want to %s drain mode for node %q?", verb, nodeID)) {
			c.Outputf("Canceling drain toggle")
			return 0
		}
	}
	var spec *structs.DrainSpec
	if *enable {
		spec = &structs.DrainSpec{Deadline: *deadline, IgnoreSystemJobs: *ignoreSystem}
		switch {
		case *noDeadline:
			spec.Deadline = 0
		case *force:
			spec.Deadline = -1
		}
	}
	if _, err := client.Nodes().UpdateDrain(nodeID, spec, *disable && !*keepIneligible, c.write()); err != nil {
		c.Errorf("Error updating drain specification: %v", err)
		return 1
	}
	if *disable {
		c.Outputf("%s: Node %q drain strategy unset", formatTime(c.Now()), nodeID)
		return 0
	}
	c.Outputf("%s: Node %q drain strategy set", formatTime(c.Now()), nodeID)
	if *detach {
		return 0
	}
	return c.monitor(client, nodeID)
}

// flagSet reports whether name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			found = true
		}
	})
	return found
}

// monitor follows the node's allocations until its drain completes,
// printing each allocation's migration and stop.
func (c *nodeDrainCommand) monitor(client *api.Client, nodeID string) int {
	c.Outputf("%s: Ctrl-C to stop monitoring: will not cancel the node drain", formatTime(c.Now()))
	seen := map[string]string{}
	var index uint64
	for {
		q := c.query(&api.QueryOptions{WaitIndex: index, WaitTime: 5 * time.Second})
		allocs, qm, err := client.Nodes().Allocations(nodeID, q)
		if err != nil {
			if c.Ctx.Err() != nil {
				return 0
			}
			c.Errorf("Error monitoring node allocations: %v", err)
			return 1
		}
		for _, a := range allocs {
			if a.DesiredTransition.ShouldMigrate() && seen[a.ID] == "" {
				seen[a.ID] = "draining"
				c.Outputf("%s: Alloc %q draining", formatTime(c.Now()), a.ID)
			}
			if seen[a.ID] == "draining" && a.ClientTerminalStatus() {
				seen[a.ID] = "stopped"
				c.Outputf("%s: Alloc %q status running -> %s", formatTime(c.Now()), a.ID, a.ClientStatus)
			}
		}
		node, _, err := client.Nodes().Info(nodeID, c.query(nil))
		if err != nil {
			c.Errorf("Error monitoring node: %v", err)
			return 1
		}
		if node.DrainStrategy == nil {
			c.Outputf("%s: Drain complete for node %s", formatTime(c.Now()), nodeID)
			return 0
		}
		if qm != nil {
			index = qm.LastIndex
		}
	}
}
