package scheduler

import (
	"reflect"

	"github.com/drover-project/drover/structs"
)

// groupChanged reports whether moving an allocation of group name from
// oldJob to newJob needs a new allocation: anything that reaches the tasks
// (config, driver, resources, env, constraints, meta...) changed. Count and
// the job's bookkeeping fields (indexes, version, status, priority) do not
// matter. Nil and empty maps and slices compare equal, so a job that went
// through a serialisation round trip does not look changed.
func groupChanged(oldJob, newJob *structs.Job, name string) bool {
	if oldJob == nil || newJob == nil {
		return true
	}
	a, b := oldJob.LookupTaskGroup(name), newJob.LookupTaskGroup(name)
	if a == nil || b == nil {
		return true
	}
	if !reflect.DeepEqual(normConstraints(oldJob.Constraints), normConstraints(newJob.Constraints)) ||
		!reflect.DeepEqual(normStrings(oldJob.Meta), normStrings(newJob.Meta)) {
		return true
	}
	return !reflect.DeepEqual(normalizeGroup(a), normalizeGroup(b))
}

// normalizeGroup returns a copy of tg with Count zeroed and empty maps and
// slices set to nil.
func normalizeGroup(tg *structs.TaskGroup) *structs.TaskGroup {
	c := tg.Copy()
	c.Count = 0
	c.Constraints = normConstraints(c.Constraints)
	c.Meta = normStrings(c.Meta)
	for _, t := range c.Tasks {
		t.Constraints = normConstraints(t.Constraints)
		t.Env = normStrings(t.Env)
		t.Meta = normStrings(t.Meta)
		if len(t.Config) == 0 {
			t.Config = nil
		}
	}
	return c
}

func normConstraints(cs []*structs.Constraint) []*structs.Constraint {
	if len(cs) == 0 {
		return nil
	}
	return cs
}

func normStrings(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}
