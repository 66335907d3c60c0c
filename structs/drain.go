package structs

import "time"

// DrainSpec is what an operator asks of a node drain (Nomad's DrainSpec).
type DrainSpec struct {
	// Deadline is how long after the drain starts the allocations still on
	// the node are stopped regardless of migrate limits. Zero means no
	// deadline; a negative value forces every allocation off at once.
	Deadline time.Duration
	// IgnoreSystemJobs leaves system job allocations on the node.
	IgnoreSystemJobs bool
}

// DrainStrategy is a node's drain in progress (Nomad's DrainStrategy: the
// spec plus when it started and when it is forced).
type DrainStrategy struct {
	DrainSpec
	// ForceDeadline is when remaining allocations are stopped; the zero
	// time means never.
	ForceDeadline time.Time
	// StartedAt is when the drain began.
	StartedAt time.Time
}

// NewDrainStrategy returns the strategy for spec starting at now.
func NewDrainStrategy(spec DrainSpec, now time.Time) *DrainStrategy {
	d := &DrainStrategy{DrainSpec: spec, StartedAt: now.UTC()}
	switch {
	case spec.Deadline < 0:
		d.ForceDeadline = now.UTC()
	case spec.Deadline > 0:
		d.ForceDeadline = now.UTC().Add(spec.Deadline)
	}
	return d
}

// Copy returns a copy of the strategy.
func (d *DrainStrategy) Copy() *DrainStrategy {
	if d == nil {
		return nil
	}
	c := *d
	return &c
}

// DeadlinePassed reports whether the drain is forced at now.
func (d *DrainStrategy) DeadlinePassed(now time.Time) bool {
	return d != nil && !d.ForceDeadline.IsZero() && !now.Before(d.ForceDeadline)
}

// DesiredTransition is a server's request that an allocation move; the
// scheduler acts on it (Nomad's DesiredTransition, same JSON).
type DesiredTransition struct {
	// Migrate asks the scheduler to stop the allocation and place a
	// replacement on another node (set by the node drainer).
	Migrate *bool
}

// ShouldMigrate reports whether the allocation is marked for migration.
func (d DesiredTransition) ShouldMigrate() bool { return d.Migrate != nil && *d.Migrate }

// MigrateStrategy is a group's migrate block: how many of its allocations a
// node drain moves at a time, and when a replacement counts as healthy.
type MigrateStrategy struct {
	// MaxParallel is how many allocations of the group may be migrating
	// (stopped, replacement not yet healthy) at once.
	MaxParallel int
	// HealthCheck is "checks" or "task_states"; Drover has no service
	// checks, so both mean the tasks have run for MinHealthyTime.
	HealthCheck string
	// MinHealthyTime is how long a replacement must have been running to
	// count as healthy.
	MinHealthyTime time.Duration
	// HealthyDeadline bounds how long a replacement may take to become
	// healthy (kept for Nomad compatibility; a drain's deadline is what
	// forces progress in Drover).
	HealthyDeadline time.Duration
}

// Migrate health checks.
const (
	MigrateHealthChecks     = "checks"
	MigrateHealthTaskStates = "task_states"
)

// DefaultMigrateStrategy returns Nomad's defaults.
func DefaultMigrateStrategy() *MigrateStrategy {
	return &MigrateStrategy{MaxParallel: 1, HealthCheck: MigrateHealthChecks,
		MinHealthyTime: 10 * time.Second, HealthyDeadline: 5 * time.Minute}
}

// Disconnect reconcile rules: which allocation survives when a node that
// was disconnected comes back and its allocations were replaced.
const (
	ReconcileBestScore       = "best_score"
	ReconcileKeepOriginal    = "keep_original"
	ReconcileKeepReplacement = "keep_replacement"
	ReconcileLongestRunning  = "longest_running"
)

// DisconnectStrategy is a group's disconnect block: how its allocations
// ride out a node that stops heartbeating.
type DisconnectStrategy struct {
	// LostAfter is how long a silent node's allocations stay "unknown"
	// before they are lost and replaced. Zero: lost at once.
	LostAfter time.Duration
	// Replace places replacements while the allocations are unknown. Nil
	// means true, as in Nomad; set it false to ride out a flaky network.
	Replace *bool
	// Reconcile picks the survivor when the node comes back (one of the
	// Reconcile* constants; empty means best_score).
	Reconcile string
	// StopOnClientAfter is how long a client cut off from the servers
	// keeps the allocations running (client-side; stored and validated).
	StopOnClientAfter *time.Duration
}

// ShouldReplace reports whether unknown allocations get replacements.
func (d *DisconnectStrategy) ShouldReplace() bool {
	return d == nil || d.Replace == nil || *d.Replace
}

// ReconcileRule returns the reconcile rule, defaulting to best_score.
func (d *DisconnectStrategy) ReconcileRule() string {
	if d == nil || d.Reconcile == "" {
		return ReconcileBestScore
	}
	return d.Reconcile
}

// Copy returns a deep copy.
func (d *DisconnectStrategy) Copy() *DisconnectStrategy {
	if d == nil {
		return nil
	}
	c := *d
	if d.Replace != nil {
		r := *d.Replace
		c.Replace = &r
	}
	if d.StopOnClientAfter != nil {
		s := *d.StopOnClientAfter
		c.StopOnClientAfter = &s
	}
	return &c
}

// DisconnectLostAfter returns how long allocations of the group survive a
// disconnected node, or 0 when the group does not tolerate disconnection.
func (tg *TaskGroup) DisconnectLostAfter() time.Duration {
	if tg == nil || tg.Disconnect == nil {
		return 0
	}
	return tg.Disconnect.LostAfter
}
