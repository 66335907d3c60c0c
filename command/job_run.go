package command

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/drover-project/drover/api"
	"github.com/drover-project/drover/jobspec"
	"github.com/drover-project/drover/structs"
)

// jobRunCommand is `drover job run`.
type jobRunCommand struct{ *Meta }

func (c *jobRunCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover job run [options] <path>

  Submits a job file (HCL, or JSON when the name ends in .json or -json
  is given; "-" reads stdin) and monitors its evaluation until the
  scheduler has placed it and its allocations are running.

  Exit codes: 0 when the job was placed, 2 when the scheduler could not
  place all of it, 1 for any other error.

Run Options:

  -detach
    Return right after submitting, printing the evaluation ID.

  -verbose
    Print full IDs.

  -check-index <index>
    Submit only if the job's modify index is still <index> (0: only if
    the job does not exist yet).

  -json
    Parse the job file as JSON.
`)
}

func (c *jobRunCommand) Synopsis() string { return "Run a new job or update an existing job" }

func (c *jobRunCommand) Run(args []string) int {
	fs := c.FlagSet()
	detach := fs.Bool("detach", false, "")
	verbose := fs.Bool("verbose", false, "")
	asJSON := fs.Bool("json", false, "")
	checkIndex := fs.String("check-index", "", "")
	if !c.parseFlags(fs, args) {
		return 1
	}
	if fs.NArg() != 1 {
		return c.wrongArgs("This command takes one argument: <path>")
	}
	var enforce bool
	var modifyIndex uint64
	if *checkIndex != "" {
		if _, err := fmt.Sscan(*checkIndex, &modifyIndex); err != nil {
			c.Errorf("Error parsing check-index value %q: %v", *checkIndex, err)
			return 1
		}
		enforce = true
	}
	path := fs.Arg(0)
	job, err := c.loadJob(path, *asJSON || strings.HasSuffix(path, ".json"))
	if err != nil {
		c.Errorf("%v", err)
		return 1
	}
	client := c.client()
	if client == nil {
		return 1
	}
	var resp *structs.JobRegisterResponse
	if enforce {
		resp, err = client.Jobs().EnforceRegister(job, modifyIndex, c.write())
	} else {
		resp, err = client.Jobs().Register(job, c.write())
	}
	if err != nil {
		if enforce && api.StatusCode(err) == 400 {
			c.Errorf("Error submitting job with -check-index %d: %v", modifyIndex, err)
			return 1
		}
		c.Errorf("Error submitting job: %v", err)
		return 1
	}
	if resp.Warnings != "" {
		c.Outputf("Job Warnings:\n%s\n", resp.Warnings)
	}
	if *detach || resp.EvalID == "" {
		c.Outputf("Job registration successful")
		if resp.EvalID != "" {
			c.Outputf("Evaluation ID: %s", resp.EvalID)
		}
		return 0
	}
	mon := &evalMonitor{Meta: c.Meta, client: client, verbose: *verbose, allocWait: defaultAllocWait}
	return mon.monitor(resp.EvalID)
}

// loadJob reads and parses a job file. Parse errors keep the parser's
// file:line:col positions.
func (c *jobRunCommand) loadJob(path string, asJSON bool) (*structs.Job, error) {
	src, err := c.readFileOrStdin(path)
	if err != nil {
		return nil, fmt.Errorf("Error reading job file from %s: %w", path, err)
	}
	name := path
	if path == "-" {
		name = "<stdin>"
	}
	var job *structs.Job
	if asJSON {
		job, err = parseJSONJob(src)
	} else {
		job, err = jobspec.Parse(name, src)
	}
	if err != nil {
		return nil, fmt.Errorf("Error parsing job file from %s:\n%w", name, err)
	}
	return job, nil
}

// parseJSONJob decodes {"Job": {...}} (as `job inspect` prints) or a bare
// job object.
func parseJSONJob(src []byte) (*structs.Job, error) {
	var wrapped struct{ Job json.RawMessage }
	if err := json.Unmarshal(src, &wrapped); err != nil {
		return nil, fmt.Errorf("decoding JSON job: %w", err)
	}
	body := []byte(wrapped.Job)
	if len(bytes.TrimSpace(body)) == 0 || bytes.Equal(bytes.TrimSpace(body), []byte("null")) {
		body = src
	}
	var job structs.Job
	if err := json.Unmarshal(body, &job); err != nil {
		return nil, fmt.Errorf("decoding JSON job: %w", err)
	}
	if job.ID == "" {
		return nil, errors.New("decoding JSON job: job has no ID")
	}
	return &job, nil
}
