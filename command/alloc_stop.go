package command

import (
	"strings"
)

// allocStopCommand is `drover alloc stop`.
type allocStopCommand struct{ *Meta }

func (c *allocStopCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover alloc stop [options] <allocation>

  Stops an allocation (ID or unique ID prefix). The servers stop it and
  place a replacement; the command monitors the evaluation that does so.

Stop Specific Options:

  -detach
    Return right after the stop is accepted, printing the evaluation ID.

  -verbose
    Print full IDs.
`)
}

func (c *allocStopCommand) Synopsis() string { return "Stop and reschedule a running allocation" }

func (c *allocStopCommand) Run(args []string) int {
	fs := c.FlagSet()
	detach := fs.Bool("detach", false, "")
	verbose := fs.Bool("verbose", false, "")
	if !c.parseFlags(fs, args) {
		return 1
	}
	if fs.NArg() != 1 {
		return c.wrongArgs("This command takes one argument: <allocation>")
	}
	client := c.client()
	if client == nil {
		return 1
	}
	allocID, code := c.resolveAlloc(client, fs.Arg(0), *verbose)
	if code != 0 {
		return code
	}
	resp, err := client.Allocations().Stop(allocID, c.write())
	if err != nil {
		c.Errorf("Error stopping allocation: %v", err)
		return 1
	}
	if *detach {
		c.Outputf("%s", resp.EvalID)
		return 0
	}
	mon := &evalMonitor{Meta: c.Meta, client: client, verbose: *verbose}
	return mon.monitor(resp.EvalID)
}
