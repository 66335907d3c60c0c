package command

import (
	"encoding/json"
	"fmt"
	"strings"
)

// evalStatusCommand is `drover eval status`.
type evalStatusCommand struct{ *Meta }

func (c *evalStatusCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover eval status [options] <evaluation>

  Shows an evaluation (ID or unique ID prefix) and, when the scheduler
  could not place everything, why.

Eval Status Options:

  -verbose
    Print full IDs and absolute times.

  -json
    Print the evaluation as JSON.
`)
}

func (c *evalStatusCommand) Synopsis() string {
	return "Display evaluation status and placement failure reasons"
}

func (c *evalStatusCommand) Run(args []string) int {
	fs := c.FlagSet()
	verbose := fs.Bool("verbose", false, "")
	asJSON := fs.Bool("json", false, "")
	if !c.parseFlags(fs, args) {
		return 1
	}
	if fs.NArg() != 1 {
		return c.wrongArgs("This command takes one argument: <evaluation>")
	}
	client := c.client()
	if client == nil {
		return 1
	}
	evalID, code := c.resolveEval(client, fs.Arg(0), *verbose)
	if code != 0 {
		return code
	}
	eval, _, err := client.Evaluations().Info(evalID, c.query(nil))
	if err != nil {
		c.Errorf("Error querying evaluation: %v", err)
		return 1
	}
	if *asJSON {
		out, err := json.MarshalIndent(eval, "", "    ")
		if err != nil {
			c.Errorf("Error formatting evaluation: %v", err)
			return 1
		}
		c.Outputf("%s", out)
		return 0
	}
	failures := len(eval.FailedTGAllocs) > 0
	rows := []string{
		"ID|" + shortID(eval.ID, *verbose),
		"Create Time|" + c.relOrAbs(eval.CreateTime, *verbose),
		"Modify Time|" + c.relOrAbs(eval.ModifyTime, *verbose),
		"Status|" + eval.Status,
		"Status Description|" + orNone(eval.StatusDescription),
		"Type|" + eval.Type,
		"TriggeredBy|" + eval.TriggeredBy,
	}
	if eval.NodeID != "" {
		rows = append(rows, "Node ID|"+shortID(eval.NodeID, *verbose))
	}
	if eval.JobID != "" {
		rows = append(rows, "Job ID|"+eval.JobID)
	}
	rows = append(rows,
		"Namespace|"+eval.Namespace,
		fmt.Sprintf("Priority|%d", eval.Priority),
		fmt.Sprintf("Placement Failures|%t", failures))
	if eval.PreviousEval != "" {
		rows = append(rows, "Previous Eval|"+shortID(eval.PreviousEval, *verbose))
	}
	if eval.NextEval != "" {
		rows = append(rows, "Next Eval|"+shortID(eval.NextEval, *verbose))
	}
	if eval.BlockedEval != "" {
		rows = append(rows, "Blocked Eval|"+shortID(eval.BlockedEval, *verbose))
	}
	c.Outputf("%s", formatKV(rows))
	if !failures {
		return 0
	}
	c.Outputf("\n==> Failed Placements")
	for _, tg := range sortedKeys(eval.FailedTGAllocs) {
		m := eval.FailedTGAllocs[tg]
		n := m.CoalescedFailures + 1
		c.Outputf("Task Group %q (failed to place %d allocation%s):", tg, n, plural(n))
		for _, l := range allocMetricLines(m) {
			c.Outputf("  * %s", l)
		}
	}
	if eval.BlockedEval != "" {
		c.Outputf("\nEvaluation %q waiting for additional capacity to place remainder", shortID(eval.BlockedEval, *verbose))
	}
	return 0
}
