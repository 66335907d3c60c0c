package command

import "strings"

// statusCommand is `drover status`: Nomad's shorthand that, for jobs, is
// `job status`.
type statusCommand struct{ *Meta }

func (c *statusCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover status [options] [job]

  Lists jobs, or shows one job given by ID or ID prefix. Same as
  "drover job status"; see its help for the options.
`)
}

func (c *statusCommand) Synopsis() string { return "Display the status output for a job" }

func (c *statusCommand) Run(args []string) int {
	c.name = "job status"
	return (&jobStatusCommand{c.Meta}).Run(args)
}
