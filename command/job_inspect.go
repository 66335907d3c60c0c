package command

import (
	"encoding/json"
	"strings"
)

// jobInspectCommand is `drover job inspect`.
type jobInspectCommand struct{ *Meta }

func (c *jobInspectCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover job inspect [options] <job>

  Prints the job as the servers store it, as JSON ({"Job": ...}) that
  "drover job run" accepts back. The job may be given by ID prefix.
`)
}

func (c *jobInspectCommand) Synopsis() string { return "Inspect a submitted job" }

func (c *jobInspectCommand) Run(args []string) int {
	fs := c.FlagSet()
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
	jobID, code := c.resolveJob(client, fs.Arg(0))
	if code != 0 {
		return code
	}
	job, _, err := client.Jobs().Info(jobID, c.query(nil))
	if err != nil {
		c.Errorf("Error inspecting job: %v", err)
		return 1
	}
	out, err := json.MarshalIndent(map[string]interface{}{"Job": job}, "", "    ")
	if err != nil {
		c.Errorf("Error formatting job: %v", err)
		return 1
	}
	c.Outputf("%s", out)
	return 0
}
