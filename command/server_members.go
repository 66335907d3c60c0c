package command

import (
	"fmt"
	"net"
	"sort"
	"strings"
)

// serverMembersCommand is `drover server members`.
type serverMembersCommand struct{ *Meta }

func (c *serverMembersCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover server members [options]

  Lists the servers of the cluster as the agent's gossip pool knows them,
  marking the Raft leader.
`)
}

func (c *serverMembersCommand) Synopsis() string {
	return "Display a list of known servers and their status"
}

func (c *serverMembersCommand) Run(args []string) int {
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
	members, err := client.Agent().Members()
	if err != nil {
		c.Errorf("Error querying servers: %v", err)
		return 1
	}
	leader, err := client.Status().Leader()
	if err != nil {
		c.Errorf("Error querying the leader: %v", err)
		return 1
	}
	sort.Slice(members.Members, func(i, j int) bool { return members.Members[i].Name < members.Members[j].Name })
	rows := []string{"Name|Address|Port|Status|Leader|Raft Version|Build|Datacenter|Region"}
	for _, m := range members.Members {
		isLeader := leader != "" && net.JoinHostPort(m.Addr, m.Tags["port"]) == leader
		rows = append(rows, fmt.Sprintf("%s|%s|%d|%s|%t|%s|%s|%s|%s", m.Name, m.Addr, m.Port, m.Status,
			isLeader, orNone(m.Tags["raft_vsn"]), orNone(m.Tags["build"]), orNone(m.Tags["dc"]), orNone(m.Tags["region"])))
	}
	c.Outputf("%s", columnize(rows))
	return 0
}
