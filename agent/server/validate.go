package server

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/drover-project/drover/structs"
)

// validConstraintOperands are the operators the scheduler understands.
var validConstraintOperands = []string{"=", "==", "is", "!=", "not", "<", "<=", ">", ">=", "regexp",
	"set_contains", "set_contains_any", "is_set", "is_not_set", "version", "distinct_hosts"}

// laterConstraintOperands are Nomad operators Drover does not schedule yet;
// jobs using them are refused rather than left unplaceable.
var laterConstraintOperands = []string{"semver", "distinct_property", "set_contains_all"}

// validateJob checks a canonicalized job and returns every problem found,
// each saying where (group, task) it is, as one 400 error.
func validateJob(job *structs.Job, drivers map[string]DriverValidator) error {
	errs := jobProblems(job, drivers)
	if len(errs) == 0 {
		return nil
	}
	return structs.NewCodedError(400, "job validation failed: %v", joinErrs(errs))
}

// jobProblems lists every problem of a canonicalized job.
func jobProblems(job *structs.Job, drivers map[string]DriverValidator) []error {
	var errs []error
	add := func(format string, args ...interface{}) { errs = append(errs, fmt.Errorf(format, args...)) }
	if job.ID == "" {
		add("job ID is empty")
	} else if strings.ContainsAny(job.ID, " \x00") {
		// Nomad's rule: any other character is allowed (the API path-escapes IDs).
		add("job ID %q must not contain a space or a null character", job.ID)
	}
	switch job.Type {
	case structs.JobTypeService, structs.JobTypeBatch:
	case structs.JobTypeSystem, structs.JobTypeSysbatch:
		add("job type %q is not supported yet (supported: service, batch)", job.Type)
	default:
		add("job type %q is invalid (valid: service, batch)", job.Type)
	}
	if job.Priority < 1 || job.Priority > 100 {
		add("job priority must be between 1 and 100, got %d", job.Priority)
	}
	if job.Namespace != structs.DefaultNamespace {
		add("namespace %q does not exist (only %q)", job.Namespace, structs.DefaultNamespace)
	}
	errs = append(errs, validateConstraints("job", job.Constraints)...)
	if len(job.TaskGroups) == 0 {
		add("job has no task groups")
	}
	groups := map[string]bool{}
	for i, tg := range job.TaskGroups {
		where := fmt.Sprintf("group %q", tg.Name)
		if tg.Name == "" {
			where = fmt.Sprintf("group %d", i+1)
			add("%s has no name", where)
		} else if groups[tg.Name] {
			add("%s is defined more than once", where)
		}
		groups[tg.Name] = true
		errs = append(errs, validateGroup(where, tg, drivers)...)
	}
	return errs
}

func validateGroup(where string, tg *structs.TaskGroup, drivers map[string]DriverValidator) []error {
	var errs []error
	add := func(format string, args ...interface{}) {
		errs = append(errs, fmt.Errorf(where+": "+format, args...))
	}
	if tg.Count < 0 {
		add("count must not be negative, got %d", tg.Count)
	}
	if rp := tg.RestartPolicy; rp != nil {
		if rp.Mode != structs.RestartPolicyModeFail && rp.Mode != structs.RestartPolicyModeDelay {
			add("restart mode %q is invalid (valid: fail, delay)", rp.Mode)
		}
		if rp.Attempts < 0 || rp.Delay < 0 || rp.Interval < 0 {
			add("restart attempts, delay and interval must not be negative")
		}
	}
	errs = append(errs, validateMigrate(where, tg.Migrate)...)
	errs = append(errs, validateDisconnect(where, tg.Disconnect)...)
	errs = append(errs, validateConstraints(where, tg.Constraints)...)
	if len(tg.Tasks) == 0 {
		add("has no tasks")
	}
	tasks := map[string]bool{}
	leaders := 0
	for _, t := range tg.Tasks {
		tw := fmt.Sprintf("%s task %q", where, t.Name)
		if t.Name == "" {
			add("a task has no name")
		} else if tasks[t.Name] {
			add("task %q is defined more than once", t.Name)
		}
		tasks[t.Name] = true
		if t.Leader {
			leaders++
		}
		if t.Driver == "" {
			errs = append(errs, fmt.Errorf("%s: driver is missing", tw))
		} else if drivers != nil {
			if d, ok := drivers[t.Driver]; !ok {
				errs = append(errs, fmt.Errorf("%s: unknown driver %q (known: %s)", tw, t.Driver, strings.Join(driverNames(drivers), ", ")))
			} else if err := d.ValidateConfig(t.Config); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", tw, err))
			}
		}
		if r := t.Resources; r != nil {
			if r.CPU < 0 || r.MemoryMB < 0 || r.MemoryMaxMB < 0 || r.Cores < 0 {
				errs = append(errs, fmt.Errorf("%s: resources must not be negative", tw))
			}
			if r.MemoryMB > 0 && r.MemoryMB < 10 {
				errs = append(errs, fmt.Errorf("%s: memory must be at least 10 MB, got %d", tw, r.MemoryMB))
			}
			if r.MemoryMaxMB != 0 && r.MemoryMaxMB < r.MemoryMB {
				errs = append(errs, fmt.Errorf("%s: memory_max (%d) must not be below memory (%d)", tw, r.MemoryMaxMB, r.MemoryMB))
			}
		}
		if t.KillTimeout < 0 {
			errs = append(errs, fmt.Errorf("%s: kill_timeout must not be negative", tw))
		}
		if lc := t.Lifecycle; lc != nil && !slices.Contains(lifecycleHooks, lc.Hook) {
			errs = append(errs, fmt.Errorf("%s: lifecycle hook %q is invalid (valid: %s)", tw, lc.Hook, strings.Join(lifecycleHooks, ", ")))
		}
		errs = append(errs, validateConstraints(tw, t.Constraints)...)
	}
	if leaders > 1 {
		add("only one task may be the leader, %d are", leaders)
	}
	return errs
}

func validateConstraints(where string, cs []*structs.Constraint) []error {
	var errs []error
	for _, c := range cs {
		if slices.Contains(laterConstraintOperands, c.Operand) {
			errs = append(errs, fmt.Errorf("%s: constraint %q: operator %q is not supported yet", where, c.String(), c.Operand))
			continue
		}
		if !slices.Contains(validConstraintOperands, c.Operand) {
			errs = append(errs, fmt.Errorf("%s: constraint %q: unknown operator %q", where, c.String(), c.Operand))
			continue
		}
		if c.Operand == "regexp" {
			if _, err := regexp.Compile(c.RTarget); err != nil {
				errs = append(errs, fmt.Errorf("%s: constraint %q: bad regexp: %v", where, c.String(), err))
			}
		}
		if c.LTarget == "" && c.Operand != "distinct_hosts" {
			errs = append(errs, fmt.Errorf("%s: constraint %q has no attribute", where, c.String()))
		}
	}
	return errs
}

// joinErrs lists several errors on one line each, or one error inline.
func joinErrs(errs []error) string {
	if len(errs) == 1 {
		return errs[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d errors occurred:", len(errs))
	for _, e := range errs {
		b.WriteString("\n\t* ")
		b.WriteString(e.Error())
	}
	return b.String()
}

func driverNames(drivers map[string]DriverValidator) []string {
	names := make([]string, 0, len(drivers))
	for n := range drivers {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// lifecycleHooks are the valid values of a task's lifecycle hook.
var lifecycleHooks = []string{
	structs.TaskLifecycleHookPrestart,
	structs.TaskLifecycleHookPoststart,
	structs.TaskLifecycleHookPoststop,
}
