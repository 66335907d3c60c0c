package scheduler

import (
	"strings"
	"time"

	"github.com/drover-project/drover/structs"
)

// keepOriginal applies a group's disconnect reconcile rule to an
// allocation whose node came back (orig) and the replacement placed while
// it was away (repl); it reports whether orig is kept (else repl is).
//
//   - keep_original, keep_replacement: as named.
//   - longest_running: the one whose tasks have run continuously the
//     longest (the latest StartedAt of its running tasks: all of them
//     have run since); one that is not running loses.
//   - best_score: the one whose node scored higher when it was placed
//     (the mean of its placement metric's scores for its node).
//
// Ties keep the original: it has the state (and the warm caches) the job
// had before the disconnection.
func keepOriginal(rule string, orig, repl *structs.Allocation) bool {
	switch rule {
	case structs.ReconcileKeepOriginal:
		return true
	case structs.ReconcileKeepReplacement:
		return false
	case structs.ReconcileLongestRunning:
		o, r := runningSince(orig), runningSince(repl)
		switch {
		case o.IsZero():
			return r.IsZero()
		case r.IsZero():
			return true
		}
		return !r.Before(o)
	default:
		return placementScore(orig) >= placementScore(repl)
	}
}

// runningSince returns since when all of a's running tasks have been
// running (the latest StartedAt among them), or the zero time when a is
// not running.
func runningSince(a *structs.Allocation) time.Time {
	if a.ClientStatus != structs.AllocClientStatusRunning {
		return time.Time{}
	}
	var since time.Time
	for _, ts := range a.TaskStates {
		if ts != nil && ts.State == structs.TaskStateRunning && ts.StartedAt.After(since) {
			since = ts.StartedAt
		}
	}
	if since.IsZero() && a.CreateTime != 0 {
		// No task states reported yet: the allocation's creation is the
		// best bound there is.
		since = time.Unix(0, a.CreateTime)
	}
	return since
}

// placementScore is the mean of the scores a's node got when a was placed.
func placementScore(a *structs.Allocation) float64 {
	if a.Metrics == nil {
		return 0
	}
	prefix := a.NodeID + "."
	var sum float64
	n := 0
	for k, v := range a.Metrics.Scores {
		if strings.HasPrefix(k, prefix) {
			sum += v
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}
