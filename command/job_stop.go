package command

import (
	"strings"
)

// jobStopCommand is `drover job stop`.
type jobStopCommand struct{ *Meta }

func (c *jobStopCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover job stop [options] <job>

  Stops a running job and monitors the evaluation that stops its
  allocations. The job may be given by ID prefix; when the prefix is not
  the full ID the command asks for confirmation.

Stop Options:

  -detach
    Return right after the stop is accepted, printing the evaluation ID.

  -purge
    Remove the job from the servers' state as well, instead of keeping
    it as a dead job.

  -yes
    Do not ask for confirmation.

  -verbose
    Print full IDs.
`)
}

func (c *jobStopCommand) Synopsis() string { return "Stop a running job" }

func (c *jobStopCommand) Run(args []string) int {
	fs := c.FlagSet()
	detach := fs.Bool("detach", false, "")
	purge := fs.Bool("purge", false, "")
	yes := fs.Bool("yes", false, "")
	verbose := fs.Bool("verbose", false, "")
	if !c.parseFlags(fs, args) {
		return 1
	}
	if fs.NArg() != 1 {
		return c.wrongArgs("This command takes one argument: <job>")
	}
	client := c.client()
	if client == nil {
		return 1
	}
	prefix := fs.Arg(0)
	jobID, code := c.resolveJob(client, prefix)
	if code != 0 {
		return code
	}
	if jobID != prefix && !*yes {
		if !c.confirm("Are you sure you want to stop job \"" + jobID + "\"?") {
			c.Outputf("Cancelling job stop")
			return 0
		}
	}
	resp, err := client.Jobs().Deregister(jobID, *purge, c.write())
	if err != nil {
		c.Errorf("Error deregistering job: %v", err)
		return 1
	}
	if resp.EvalID == "" {
		return 0 // nothing to schedule (e.g. the job was already stopped and is now purged)
	}
	if *detach {
		c.Outputf("%s", resp.EvalID)
		return 0
	}
	mon := &evalMonitor{Meta: c.Meta, client: client, verbose: *verbose}
	return mon.monitor(resp.EvalID)
}
