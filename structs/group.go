package structs

import (
	"time"
)

// Restart policy modes.
const (
	RestartPolicyModeFail  = "fail"
	RestartPolicyModeDelay = "delay"
)

// TaskGroup is a set of tasks placed together on one node, Count times.
type TaskGroup struct {
	Name          string
	Count         int
	Constraints   []*Constraint
	Tasks         []*Task
	RestartPolicy *RestartPolicy
	Meta          map[string]string
	// Migrate paces node drains (service jobs; defaulted for them).
	Migrate *MigrateStrategy
	// Disconnect lets allocations survive a node that stops heartbeating.
	Disconnect *DisconnectStrategy
}

func (tg *TaskGroup) canonicalize(j *Job) {
	if tg.RestartPolicy == nil {
		tg.RestartPolicy = DefaultRestartPolicy(j.Type)
	}
	if tg.Migrate == nil && j.Type == JobTypeService {
		tg.Migrate = DefaultMigrateStrategy()
	}
	for _, t := range tg.Tasks {
		t.canonicalize()
	}
}

// Copy returns a deep copy of the task group.
func (tg *TaskGroup) Copy() *TaskGroup {
	if tg == nil {
		return nil
	}
	c := *tg
	c.Constraints = copyConstraints(tg.Constraints)
	c.Meta = copyStringMap(tg.Meta)
	if tg.RestartPolicy != nil {
		rp := *tg.RestartPolicy
		c.RestartPolicy = &rp
	}
	if tg.Migrate != nil {
		m := *tg.Migrate
		c.Migrate = &m
	}
	c.Disconnect = tg.Disconnect.Copy()
	c.Tasks = make([]*Task, len(tg.Tasks))
	for i, t := range tg.Tasks {
		c.Tasks[i] = t.Copy()
	}
	return &c
}

// LookupTask returns the named task or nil.
func (tg *TaskGroup) LookupTask(name string) *Task {
	for _, t := range tg.Tasks {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// CombinedResources sums the resources the group's tasks ask for.
func (tg *TaskGroup) CombinedResources() *Resources {
	r := &Resources{}
	for _, t := range tg.Tasks {
		r.Add(t.Resources)
	}
	return r
}

// RestartPolicy says how the client restarts a group's failed tasks locally.
type RestartPolicy struct {
	// Attempts is how many restarts are allowed within Interval.
	Attempts int
	// Interval is the window in which Attempts are counted.
	Interval time.Duration
	// Delay is the wait before a restart.
	Delay time.Duration
	// Mode is "fail" (give up when attempts are used) or "delay" (wait for
	// the interval to pass and try again).
	Mode string
}

// DefaultRestartPolicy returns Nomad's defaults for the job type.
func DefaultRestartPolicy(jobType string) *RestartPolicy {
	if jobType == JobTypeBatch {
		return &RestartPolicy{Attempts: 3, Interval: 24 * time.Hour, Delay: 15 * time.Second, Mode: RestartPolicyModeFail}
	}
	return &RestartPolicy{Attempts: 2, Interval: 30 * time.Minute, Delay: 15 * time.Second, Mode: RestartPolicyModeFail}
}

// Task is a single process run by a driver.
type Task struct {
	Name        string
	Driver      string
	User        string
	Config      map[string]interface{}
	Env         map[string]string
	Constraints []*Constraint
	Resources   *Resources
	Meta        map[string]string
	KillTimeout time.Duration
	KillSignal  string
	LogConfig   *LogConfig
	Leader      bool
	// Lifecycle makes the task a hook of the main tasks (prestart,
	// poststart, poststop), optionally a sidecar that runs alongside them.
	Lifecycle *TaskLifecycleConfig
}

// Lifecycle hooks.
const (
	TaskLifecycleHookPrestart  = "prestart"
	TaskLifecycleHookPoststart = "poststart"
	TaskLifecycleHookPoststop  = "poststop"
)

// TaskLifecycleConfig places a task before, beside or after the main tasks.
type TaskLifecycleConfig struct {
	Hook    string
	Sidecar bool
}

// DefaultKillTimeout is the grace period between the kill signal and SIGKILL.
const DefaultKillTimeout = 5 * time.Second

func (t *Task) canonicalize() {
	if t.Resources == nil {
		t.Resources = &Resources{}
	}
	t.Resources.canonicalize()
	if t.KillTimeout == 0 {
		t.KillTimeout = DefaultKillTimeout
	}
	if t.LogConfig == nil {
		t.LogConfig = DefaultLogConfig()
	}
}

// Copy returns a deep copy of the task.
func (t *Task) Copy() *Task {
	if t == nil {
		return nil
	}
	c := *t
	c.Config = copyInterfaceMap(t.Config)
	c.Env = copyStringMap(t.Env)
	c.Meta = copyStringMap(t.Meta)
	c.Constraints = copyConstraints(t.Constraints)
	if t.Resources != nil {
		r := *t.Resources
		c.Resources = &r
	}
	if t.LogConfig != nil {
		l := *t.LogConfig
		c.LogConfig = &l
	}
	if t.Lifecycle != nil {
		l := *t.Lifecycle
		c.Lifecycle = &l
	}
	return &c
}

// DefaultLogConfig returns Nomad's log defaults: 10 files of 10 MB.
func DefaultLogConfig() *LogConfig { return &LogConfig{MaxFiles: 10, MaxFileSizeMB: 10} }

// LogConfig bounds a task's log files.
type LogConfig struct {
	MaxFiles      int
	MaxFileSizeMB int
}

// Constraint restricts placement by a node attribute.
type Constraint struct {
	LTarget string
	RTarget string
	Operand string
}

func (c *Constraint) String() string {
	return c.LTarget + " " + c.Operand + " " + c.RTarget
}

func copyConstraints(cs []*Constraint) []*Constraint {
	if cs == nil {
		return nil
	}
	out := make([]*Constraint, len(cs))
	for i, c := range cs {
		cc := *c
		out[i] = &cc
	}
	return out
}
