package command

import (
	"strings"
)

// serverJoinCommand is `drover server join`.
type serverJoinCommand struct{ *Meta }

func (c *serverJoinCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover server join [options] <addr> [<addr>...]

  Makes the agent's server join other servers at their serf addresses
  (host[:port], port 4648 by default).
`)
}

func (c *serverJoinCommand) Synopsis() string { return "Join server nodes together" }

func (c *serverJoinCommand) Run(args []string) int {
	fs := c.FlagSet()
	if !c.parseFlags(fs, args) {
		return 1
	}
	if fs.NArg() == 0 {
		return c.wrongArgs("This command takes at least one argument: <addr>")
	}
	client := c.client()
	if client == nil {
		return 1
	}
	resp, err := client.Agent().Join(fs.Args()...)
	if err != nil {
		c.Errorf("Error joining: %v", err)
		return 1
	}
	if resp.Error != "" {
		c.Errorf("Error joining: %s", resp.Error)
		return 1
	}
	c.Outputf("Joined %d servers successfully", resp.NumJoined)
	return 0
}
