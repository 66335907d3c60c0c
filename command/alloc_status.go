package command

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/drover-project/drover/structs"
)

// allocStatusCommand is `drover alloc status`.
type allocStatusCommand struct{ *Meta }

func (c *allocStatusCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover alloc status [options] <allocation>

  Shows an allocation (ID or unique ID prefix): where it runs, its
  status, and for each task its state, resources and recent events.

Alloc Status Options:

  -stats
    Show the tasks' actual resource usage next to what they requested.

  -verbose
    Print full IDs, absolute times and placement metrics.

  -json
    Print the allocation as JSON.
`)
}

func (c *allocStatusCommand) Synopsis() string {
	return "Display allocation status information and metadata"
}

func (c *allocStatusCommand) Run(args []string) int {
	fs := c.FlagSet()
	verbose := fs.Bool("verbose", false, "")
	asJSON := fs.Bool("json", false, "")
	showStats := fs.Bool("stats", false, "")
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
	alloc, _, err := client.Allocations().Info(allocID, c.query(nil))
	if err != nil {
		c.Errorf("Error querying allocation: %v", err)
		return 1
	}
	if *asJSON {
		out, err := json.MarshalIndent(alloc, "", "    ")
		if err != nil {
			c.Errorf("Error formatting allocation: %v", err)
			return 1
		}
		c.Outputf("%s", out)
		return 0
	}
	var usage *structs.AllocResourceUsage
	if *showStats {
		if usage, err = client.Allocations().Stats(allocID, c.query(nil)); err != nil {
			c.Errorf("Couldn't retrieve stats: %v", err)
		}
	}
	c.Outputf("%s", c.allocInfo(alloc, *verbose))
	for _, task := range taskNames(alloc) {
		c.Outputf("\n%s", c.taskInfo(alloc, task, usage))
	}
	return 0
}

// allocInfo is the allocation's key/value block.
func (c *allocStatusCommand) allocInfo(a *structs.Allocation, verbose bool) string {
	var version uint64
	if a.Job != nil {
		version = a.Job.Version
	}
	rows := []string{
		"ID|" + shortID(a.ID, verbose),
		"Eval ID|" + shortID(a.EvalID, verbose),
		"Name|" + a.Name,
		"Node ID|" + shortID(a.NodeID, verbose),
		"Node Name|" + a.NodeName,
		"Job ID|" + a.JobID,
		fmt.Sprintf("Job Version|%d", version),
		"Client Status|" + a.ClientStatus,
		"Client Description|" + orNone(a.ClientDescription),
		"Desired Status|" + a.DesiredStatus,
		"Desired Description|" + orNone(a.DesiredDescription),
		"Created|" + c.relOrAbs(a.CreateTime, verbose),
		"Modified|" + c.relOrAbs(a.ModifyTime, verbose),
	}
	if a.FollowupEvalID != "" {
		rows = append(rows, "Reschedule Eval|"+shortID(a.FollowupEvalID, verbose))
	}
	if verbose && a.Metrics != nil {
		m := a.Metrics
		rows = append(rows,
			fmt.Sprintf("Evaluated Nodes|%d", m.NodesEvaluated),
			fmt.Sprintf("Filtered Nodes|%d", m.NodesFiltered),
			fmt.Sprintf("Exhausted Nodes|%d", m.NodesExhausted),
			"Allocation Time|"+time.Duration(m.AllocationTime).String(),
			fmt.Sprintf("Failures|%d", m.CoalescedFailures))
	}
	return formatKV(rows)
}

// taskNames lists the allocation's tasks in job file order, then any
// others the client reported, by name.
func taskNames(a *structs.Allocation) []string {
	seen := map[string]bool{}
	var names []string
	if tg := a.Job.LookupTaskGroup(a.TaskGroup); tg != nil {
		for _, t := range tg.Tasks {
			seen[t.Name] = true
			names = append(names, t.Name)
		}
	}
	var extra []string
	for name := range a.TaskStates {
		if !seen[name] {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	return append(names, extra...)
}

// taskInfo is one task's state, resources and events.
// With usage (alloc status -stats), the resources show what the task
// uses out of what it asked for.
func (c *allocStatusCommand) taskInfo(a *structs.Allocation, task string, usage *structs.AllocResourceUsage) string {
	st := a.TaskStates[task]
	if st == nil {
		st = &structs.TaskState{State: structs.TaskStatePending}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Task %q is %q\n", task, st.State)
	fmt.Fprintf(&b, "Task Resources:\n%s\n\n", taskResources(a, task, usage))
	lastRestart := "N/A"
	if !st.LastRestart.IsZero() {
		lastRestart = formatTime(st.LastRestart)
	}
	fmt.Fprintf(&b, "Task Events:\n%s\n\n", formatKV([]string{
		"Started At|" + formatTime(st.StartedAt),
		"Finished At|" + formatTime(st.FinishedAt),
		fmt.Sprintf("Total Restarts|%d", st.Restarts),
		"Last Restart|" + lastRestart,
	}))
	rows := []string{"Time|Type|Description"}
	for i := len(st.Events) - 1; i >= 0; i-- {
		e := st.Events[i]
		desc := e.DisplayMessage
		if desc == "" {
			desc = e.Message
		}
		rows = append(rows, fmt.Sprintf("%s|%s|%s", formatUnixNano(e.Time), e.Type, strings.ReplaceAll(desc, "|", "/")))
	}
	fmt.Fprintf(&b, "Recent Events:\n%s", columnize(rows))
	return b.String()
}

// taskLimits returns a task's CPU (MHz) and memory (MiB) limits, from what
// the allocation holds, else from the job.
func taskLimits(a *structs.Allocation, task string) (int64, int64) {
	if a.AllocatedResources != nil {
		if r := a.AllocatedResources.Tasks[task]; r != nil {
			return r.Cpu.CpuShares, r.Memory.MemoryMB
		}
	}
	if tg := a.Job.LookupTaskGroup(a.TaskGroup); tg != nil {
		if t := tg.LookupTask(task); t != nil && t.Resources != nil {
			return int64(t.Resources.CPU), int64(t.Resources.MemoryMB)
		}
	}
	return 0, 0
}
