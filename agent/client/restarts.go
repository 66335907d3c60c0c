package client

import (
	"fmt"
	"sync"
	"time"

	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/structs"
)

// Restart reasons, as Nomad words them.
const (
	reasonWithinPolicy = "Restart within policy"
	reasonNoRestarts   = "Policy allows no restarts"
	reasonDelay        = "Exceeded allowed attempts, applying a delay"
)

// restartDecision is what to do after a task's run ended.
type restartDecision struct {
	// restart is false when the task is done for good.
	restart bool
	// delay is the wait before the next start.
	delay time.Duration
	// reason explains the decision; empty for a batch task that succeeded.
	reason string
	// failed marks the task failed when it will not restart.
	failed bool
}

// restartTracker applies a group's restart policy to one task: at most
// Attempts restarts within each Interval, each after Delay; when they are
// used up, mode "fail" gives up and mode "delay" waits for the interval to
// end. Only the task runner's goroutine calls next; position and setPosition
// may be called concurrently with it (to persist the tracker).
type restartTracker struct {
	policy structs.RestartPolicy
	batch  bool

	mu          sync.Mutex // guards count and windowStart
	count       int
	windowStart time.Time
}

// position returns the restarts counted in the current interval and when
// it began.
func (rt *restartTracker) position() (count int, windowStart time.Time) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.count, rt.windowStart
}

// setPosition restores a position saved by a previous client.
func (rt *restartTracker) setPosition(count int, windowStart time.Time) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	rt.count, rt.windowStart = count, windowStart
}

func newRestartTracker(p *structs.RestartPolicy, jobType string) *restartTracker {
	if p == nil {
		p = structs.DefaultRestartPolicy(jobType)
	}
	return &restartTracker{policy: *p, batch: jobType == structs.JobTypeBatch}
}

// next decides after a run ended at now. res is nil when the task could not
// start (a driver failure), which counts as a failure.
func (rt *restartTracker) next(now time.Time, res *driver.ExitResult) restartDecision {
	if res != nil && rt.batch && res.Successful() {
		return restartDecision{}
	}
	p := rt.policy
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if p.Attempts == 0 && p.Mode != structs.RestartPolicyModeDelay {
		return restartDecision{reason: reasonNoRestarts, failed: true}
	}
	if rt.windowStart.IsZero() || now.Sub(rt.windowStart) > p.Interval {
		rt.windowStart = now
		rt.count = 0
	}
	rt.count++
	if rt.count <= p.Attempts {
		return restartDecision{restart: true, delay: p.Delay, reason: reasonWithinPolicy}
	}
	if p.Mode == structs.RestartPolicyModeDelay {
		delay := rt.windowStart.Add(p.Interval).Sub(now)
		if delay < p.Delay {
			delay = p.Delay
		}
		// The next failure after the wait opens a new window.
		rt.windowStart = time.Time{}
		return restartDecision{restart: true, delay: delay, reason: reasonDelay}
	}
	return restartDecision{
		reason: fmt.Sprintf("Exceeded allowed attempts %d in interval %v and mode is %q", p.Attempts, p.Interval, p.Mode),
		failed: true,
	}
}
