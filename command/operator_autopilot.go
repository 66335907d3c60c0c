package command

import (
	"fmt"
	"strings"
)

// operatorAutopilotHealthCommand is `drover operator autopilot health`.
type operatorAutopilotHealthCommand struct{ *Meta }

func (c *operatorAutopilotHealthCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover operator autopilot health [options]

  Displays the servers' health as the leader's autopilot sees it. A server
  is healthy when gossip sees it alive, it heard from the leader recently
  and its Raft log is close to the leader's. Exits 2 when the cluster is
  unhealthy.
`)
}

func (c *operatorAutopilotHealthCommand) Synopsis() string {
	return "Display the current autopilot health"
}

func (c *operatorAutopilotHealthCommand) Run(args []string) int {
	fs := c.FlagSet()
	if !c.parseFlags(fs, args) {
		return 1
	}
	if fs.NArg() != 0 {
		return c.wrongArgs("This command takes no arguments")
	}
	client := c.client()
	if client == nil {
		return 1
	}
	h, err := client.Operator().AutopilotServerHealth(c.query(nil))
	if err != nil {
		c.Errorf("Error querying autopilot health: %v", err)
		return 1
	}
	c.Outputf("%s", formatKV([]string{
		fmt.Sprintf("Healthy|%t", h.Healthy),
		fmt.Sprintf("Failure Tolerance|%d", h.FailureTolerance),
		"Leader|" + orNone(h.Leader),
	}))
	c.Outputf("")
	rows := []string{"Name|Address|Serf Status|Leader|Voter|Healthy|Last Contact|Last Term|Last Index|Stable Since"}
	for _, s := range h.Servers {
		rows = append(rows, fmt.Sprintf("%s|%s|%s|%t|%t|%t|%s|%d|%d|%s", s.Name, s.Address, s.SerfStatus, s.Leader, s.Voter,
			s.Healthy, s.LastContact, s.LastTerm, s.LastIndex, formatTime(s.StableSince)))
	}
	c.Outputf("%s", columnize(rows))
	if !h.Healthy {
		return 2
	}
	return 0
}
