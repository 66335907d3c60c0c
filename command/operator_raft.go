package command

import (
	"fmt"
	"strings"
)

// operatorRaftListPeersCommand is `drover operator raft list-peers`.
type operatorRaftListPeersCommand struct{ *Meta }

func (c *operatorRaftListPeersCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover operator raft list-peers [options]

  Displays the current Raft peer configuration as the agent's server knows
  it: each server's node name, Raft ID and address, whether it leads, and
  whether it votes.
`)
}

func (c *operatorRaftListPeersCommand) Synopsis() string {
	return "Display the current Raft peer configuration"
}

func (c *operatorRaftListPeersCommand) Run(args []string) int {
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
	cfg, err := client.Operator().RaftGetConfiguration(c.query(nil))
	if err != nil {
		c.Errorf("Failed to retrieve raft configuration: %v", err)
		return 1
	}
	rows := []string{"Node|ID|Address|State|Voter|RaftProtocol"}
	for _, s := range cfg.Servers {
		state := "follower"
		if s.Leader {
			state = "leader"
		}
		rows = append(rows, fmt.Sprintf("%s|%s|%s|%s|%t|%s", s.Node, s.ID, s.Address, state, s.Voter, orNone(s.RaftProtocol)))
	}
	c.Outputf("%s", columnize(rows))
	return 0
}

// operatorRaftRemovePeerCommand is `drover operator raft remove-peer`.
type operatorRaftRemovePeerCommand struct{ *Meta }

func (c *operatorRaftRemovePeerCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover operator raft remove-peer [options]

  Removes a server from the Raft configuration, for a server that is gone
  for good and was not removed automatically. A server that is still
  alive is added back by the leader.

Remove Peer Options:

  -peer-address="IP:port"
    The Raft (RPC) address of the server to remove.

  -peer-id="id"
    The Raft ID of the server to remove.
`)
}

func (c *operatorRaftRemovePeerCommand) Synopsis() string {
	return "Remove a Raft peer"
}

func (c *operatorRaftRemovePeerCommand) Run(args []string) int {
	fs := c.FlagSet()
	var addr, id string
	fs.StringVar(&addr, "peer-address", "", "")
	fs.StringVar(&id, "peer-id", "", "")
	if !c.parseFlags(fs, args) {
		return 1
	}
	if fs.NArg() != 0 {
		return c.wrongArgs("This command takes no arguments")
	}
	switch {
	case addr == "" && id == "":
		return c.wrongArgs("Missing peer identifier: give -peer-address or -peer-id")
	case addr != "" && id != "":
		return c.wrongArgs("Give only one of -peer-address and -peer-id")
	}
	client := c.client()
	if client == nil {
		return 1
	}
	if addr != "" {
		if err := client.Operator().RaftRemovePeerByAddress(addr, c.write()); err != nil {
			c.Errorf("Error removing peer: %v", err)
			return 1
		}
		c.Outputf("Removed peer with address %q", addr)
		return 0
	}
	if err := client.Operator().RaftRemovePeerByID(id, c.write()); err != nil {
		c.Errorf("Error removing peer: %v", err)
		return 1
	}
	c.Outputf("Removed peer with id %q", id)
	return 0
}
