package command

import "strings"

// nodeEligibilityCommand is `drover node eligibility`.
type nodeEligibilityCommand struct{ *Meta }

func (c *nodeEligibilityCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover node eligibility [options] <node>

  Marks a node eligible or ineligible for new allocations. Allocations
  already on the node keep running.

Node Eligibility Options:

  -enable
    Make the node eligible for scheduling.

  -disable
    Make the node ineligible for scheduling.

  -self
    Change the node of the agent the command talks to.
`)
}

func (c *nodeEligibilityCommand) Synopsis() string {
	return "Toggle scheduling eligibility for a given node"
}

func (c *nodeEligibilityCommand) Run(args []string) int {
	fs := c.FlagSet()
	enable := fs.Bool("enable", false, "")
	disable := fs.Bool("disable", false, "")
	self := fs.Bool("self", false, "")
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
	client := c.client()
	if client == nil {
		return 1
	}
	nodeID, code := c.targetNode(client, *self, fs.Arg(0))
	if code != 0 {
		return code
	}
	if _, err := client.Nodes().ToggleEligibility(nodeID, *enable, c.write()); err != nil {
		c.Errorf("Error updating scheduling eligibility: %v", err)
		return 1
	}
	state := "ineligible"
	if *enable {
		state = "eligible"
	}
	c.Outputf("Node %q scheduling eligibility set: %s for scheduling", nodeID, state)
	return 0
}
