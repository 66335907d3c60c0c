package command

import (
	"fmt"
	"sort"
	"strings"

	"github.com/drover-project/drover/api"
	"github.com/drover-project/drover/structs"
)

// jobStatusCommand is `drover job status` (and `drover status`).
type jobStatusCommand struct{ *Meta }

func (c *jobStatusCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover job status [options] [job]

  Without a job, lists all jobs. With a job (ID or unique ID prefix),
  shows its details, a per-group summary, placement failures and
  allocations.

Status Options:

  -short
    Show only the job's details, without summary and allocations.

  -verbose
    Print full IDs and absolute times.

  -all-allocs
    Include allocations of earlier jobs registered under the same ID.
`)
}

func (c *jobStatusCommand) Synopsis() string { return "Display status information about a job" }

func (c *jobStatusCommand) Run(args []string) int {
	fs := c.FlagSet()
	short := fs.Bool("short", false, "")
	verbose := fs.Bool("verbose", false, "")
	allAllocs := fs.Bool("all-allocs", false, "")
	if !c.parseFlags(fs, args) {
		return 1
	}
	if fs.NArg() > 1 {
		return c.wrongArgs("This command takes either no arguments or one: <job>")
	}
	client := c.client()
	if client == nil {
		return 1
	}
	if fs.NArg() == 0 {
		return c.list(client)
	}
	jobID, code := c.resolveJob(client, fs.Arg(0))
	if code != 0 {
		return code
	}
	return c.show(client, jobID, *short, *verbose, *allAllocs)
}

func (c *jobStatusCommand) list(client *api.Client) int {
	jobs, _, err := client.Jobs().List(c.query(nil))
	if err != nil {
		c.Errorf("Error querying jobs: %v", err)
		return 1
	}
	if len(jobs) == 0 {
		c.Outputf("No running jobs")
		return 0
	}
	sort.Slice(jobs, func(i, j int) bool { return jobs[i].ID < jobs[j].ID })
	c.Outputf("%s", jobListTable(jobs))
	return 0
}

func (c *jobStatusCommand) show(client *api.Client, jobID string, short, verbose, allAllocs bool) int {
	job, _, err := client.Jobs().Info(jobID, c.query(nil))
	if err != nil {
		c.Errorf("Error querying job: %v", err)
		return 1
	}
	submit := "<none>"
	if job.SubmitTime != 0 {
		submit = formatUnixNano(job.SubmitTime)
	}
	c.Outputf("%s", formatKV([]string{
		"ID|" + job.ID,
		"Name|" + job.Name,
		"Submit Date|" + submit,
		"Type|" + job.Type,
		fmt.Sprintf("Priority|%d", job.Priority),
		"Datacenters|" + strings.Join(job.Datacenters, ","),
		"Namespace|" + job.Namespace,
		"Node Pool|" + job.NodePool,
		"Status|" + jobStatus(job.Status, job.Stop),
		"Periodic|false",
		"Parameterized|false",
	}))
	if short {
		return 0
	}
	summary, _, err := client.Jobs().Summary(jobID, c.query(nil))
	if err != nil {
		c.Errorf("Error querying job summary: %v", err)
		return 1
	}
	c.Outputf("\nSummary\n%s", summaryTable(summary))
	if queued(summary) {
		evals, _, err := client.Jobs().Evaluations(jobID, c.query(nil))
		if err != nil {
			c.Errorf("Error querying job evaluations: %v", err)
			return 1
		}
		if failed := latestFailedEval(evals); failed != nil {
			c.Outputf("\nPlacement Failure\n%s", placementFailures(failed, "  "))
		}
	}
	allocs, _, err := client.Jobs().Allocations(jobID, allAllocs, c.query(nil))
	if err != nil {
		c.Errorf("Error querying job allocations: %v", err)
		return 1
	}
	c.Outputf("\nAllocations")
	if len(allocs) == 0 {
		c.Outputf("No allocations placed")
		return 0
	}
	sort.SliceStable(allocs, func(i, j int) bool { return allocs[i].CreateIndex > allocs[j].CreateIndex })
	c.Outputf("%s", c.allocTable(allocs, verbose))
	return 0
}

// summaryTable prints a job summary's counts by task group.
func summaryTable(s *structs.JobSummary) string {
	rows := []string{"Task Group|Queued|Starting|Running|Failed|Complete|Lost|Unknown"}
	for _, tg := range sortedKeys(s.Summary) {
		t := s.Summary[tg]
		rows = append(rows, fmt.Sprintf("%s|%d|%d|%d|%d|%d|%d|%d", tg, t.Queued, t.Starting, t.Running,
			t.Failed, t.Complete, t.Lost, t.Unknown))
	}
	return columnize(rows)
}

// queued reports whether any group has allocations waiting to be placed.
func queued(s *structs.JobSummary) bool {
	for _, t := range s.Summary {
		if t.Queued > 0 {
			return true
		}
	}
	return false
}

// latestFailedEval returns the newest evaluation with placement failures.
func latestFailedEval(evals []*structs.Evaluation) *structs.Evaluation {
	var latest *structs.Evaluation
	for _, e := range evals {
		if len(e.FailedTGAllocs) > 0 && (latest == nil || e.CreateIndex > latest.CreateIndex) {
			latest = e
		}
	}
	return latest
}

// placementFailures prints each failed group's reasons:
//
//	Task Group "app":
//	  * Resources exhausted on 1 nodes
func placementFailures(eval *structs.Evaluation, indent string) string {
	var lines []string
	for _, tg := range sortedKeys(eval.FailedTGAllocs) {
		lines = append(lines, fmt.Sprintf("Task Group %q:", tg))
		for _, l := range allocMetricLines(eval.FailedTGAllocs[tg]) {
			lines = append(lines, indent+"* "+l)
		}
	}
	return strings.Join(lines, "\n")
}
