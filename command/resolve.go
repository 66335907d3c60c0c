package command

import (
	"fmt"

	"github.com/drover-project/drover/api"
	"github.com/drover-project/drover/structs"
)

// Prefix resolution: commands accept any unique ID prefix, as Nomad's do.
// Each resolver returns the full ID, or prints why it cannot and returns
// exit code 1.

// resolveJob resolves a job ID prefix.
func (m *Meta) resolveJob(client *api.Client, prefix string) (string, int) {
	jobs, _, err := client.Jobs().List(m.query(&api.QueryOptions{Prefix: prefix}))
	if err != nil {
		m.Errorf("Error querying job prefix: %v", err)
		return "", 1
	}
	ids := make([]string, len(jobs))
	for i, j := range jobs {
		ids[i] = j.ID
	}
	if id, ok := pick(ids, prefix); ok {
		return id, 0
	}
	if len(jobs) == 0 {
		m.Errorf("No job(s) with prefix or ID %q found", prefix)
		return "", 1
	}
	m.Errorf("Prefix matched multiple jobs\n\n%s", jobListTable(jobs))
	return "", 1
}

// resolveAlloc resolves an allocation ID prefix.
func (m *Meta) resolveAlloc(client *api.Client, prefix string, verbose bool) (string, int) {
	allocs, _, err := client.Allocations().List(m.query(&api.QueryOptions{Prefix: prefix}))
	if err != nil {
		m.Errorf("Error querying allocation: %v", err)
		return "", 1
	}
	ids := make([]string, len(allocs))
	for i, a := range allocs {
		ids[i] = a.ID
	}
	if id, ok := pick(ids, prefix); ok {
		return id, 0
	}
	if len(allocs) == 0 {
		m.Errorf("No allocation(s) with prefix or id %q found", prefix)
		return "", 1
	}
	m.Errorf("Prefix matched multiple allocations\n\n%s", m.allocTable(allocs, verbose))
	return "", 1
}

// resolveNode resolves a node ID prefix.
func (m *Meta) resolveNode(client *api.Client, prefix string, verbose bool) (string, int) {
	nodes, _, err := client.Nodes().List(m.query(&api.QueryOptions{Prefix: prefix}))
	if err != nil {
		m.Errorf("Error querying node info: %v", err)
		return "", 1
	}
	ids := make([]string, len(nodes))
	for i, n := range nodes {
		ids[i] = n.ID
	}
	if id, ok := pick(ids, prefix); ok {
		return id, 0
	}
	if len(nodes) == 0 {
		m.Errorf("No node(s) with prefix %q found", prefix)
		return "", 1
	}
	m.Errorf("Prefix matched multiple nodes\n\n%s", nodeListTable(nodes, verbose))
	return "", 1
}

// resolveEval resolves an evaluation ID prefix.
func (m *Meta) resolveEval(client *api.Client, prefix string, verbose bool) (string, int) {
	evals, _, err := client.Evaluations().List(m.query(&api.QueryOptions{Prefix: prefix}))
	if err != nil {
		m.Errorf("Error querying evaluation: %v", err)
		return "", 1
	}
	ids := make([]string, len(evals))
	for i, e := range evals {
		ids[i] = e.ID
	}
	if id, ok := pick(ids, prefix); ok {
		return id, 0
	}
	if len(evals) == 0 {
		m.Errorf("No evaluation(s) with prefix or id %q found", prefix)
		return "", 1
	}
	rows := []string{"ID|Priority|Triggered By|Job ID|Status|Placement Failures"}
	for _, e := range evals {
		rows = append(rows, fmt.Sprintf("%s|%d|%s|%s|%s|%t", shortID(e.ID, verbose), e.Priority,
			e.TriggeredBy, e.JobID, e.Status, len(e.FailedTGAllocs) > 0))
	}
	m.Errorf("Prefix matched multiple evaluations\n\n%s", columnize(rows))
	return "", 1
}

// pick chooses the ID prefix names: the only match, or an exact match
// among several.
func pick(ids []string, prefix string) (string, bool) {
	if len(ids) == 1 {
		return ids[0], true
	}
	for _, id := range ids {
		if id == prefix {
			return id, true
		}
	}
	return "", false
}

// jobListTable is the job list of `job status` without arguments.
func jobListTable(jobs []*structs.JobListStub) string {
	rows := []string{"ID|Type|Priority|Status|Submit Date"}
	for _, j := range jobs {
		rows = append(rows, fmt.Sprintf("%s|%s|%d|%s|%s", j.ID, j.Type, j.Priority, jobStatus(j.Status, j.Stop),
			formatUnixNano(j.SubmitTime)))
	}
	return columnize(rows)
}

// jobStatus prints a stopped job's status as Nomad does: "dead (stopped)".
func jobStatus(status string, stopped bool) string {
	if stopped {
		return status + " (stopped)"
	}
	return status
}

// allocTable is Nomad's allocation table (job status, node status,
// ambiguous alloc prefixes).
func (m *Meta) allocTable(allocs []*structs.AllocListStub, verbose bool) string {
	rows := []string{"ID|Node ID|Task Group|Version|Desired|Status|Created|Modified"}
	for _, a := range allocs {
		rows = append(rows, fmt.Sprintf("%s|%s|%s|%d|%s|%s|%s|%s", shortID(a.ID, verbose), shortID(a.NodeID, verbose),
			a.TaskGroup, a.JobVersion, a.DesiredStatus, a.ClientStatus,
			m.relOrAbs(a.CreateTime, verbose), m.relOrAbs(a.ModifyTime, verbose)))
	}
	return columnize(rows)
}

// targetNode is the node a node command acts on: the agent's own with
// -self, else the one arg names (ID or unique prefix). A non-zero code
// means the error was reported.
func (m *Meta) targetNode(client *api.Client, self bool, arg string) (string, int) {
	if !self {
		return m.resolveNode(client, arg, false)
	}
	id, err := localNodeID(m, client)
	if err != nil {
		m.Errorf("Error determining local node: %v", err)
		return "", 1
	}
	return id, 0
}
