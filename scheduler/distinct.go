package scheduler

import (
	"strconv"

	"github.com/drover-project/drover/structs"
)

// distinctHostsChecker refuses nodes that already hold (in state or in the
// plan being built) an allocation of the same job or, for a group-level
// constraint, of the same job and group.
type distinctHostsChecker struct {
	ctx       *evalContext
	namespace string
	jobID     string
	// group is empty for a job-level constraint.
	group  string
	reason string
}

func (c distinctHostsChecker) check(n *structs.Node) (bool, string) {
	for _, a := range c.ctx.proposedAllocs(n.ID) {
		if a.Namespace == c.namespace && a.JobID == c.jobID && (c.group == "" || a.TaskGroup == c.group) {
			return false, c.reason
		}
	}
	return true, ""
}

// distinctHostsEnabled reports whether a distinct_hosts constraint is on:
// an empty RTarget means true, as in Nomad, and "false" switches it off.
func distinctHostsEnabled(c *structs.Constraint) bool {
	if c.Operand != opDistinctHosts {
		return false
	}
	if c.RTarget == "" {
		return true
	}
	on, err := strconv.ParseBool(c.RTarget)
	return err == nil && on
}
