package server

import (
	"context"
	"sort"
	"time"

	"github.com/hashicorp/go-hclog"
	memdb "github.com/hashicorp/go-memdb"

	"github.com/drover-project/drover/state"
	"github.com/drover-project/drover/structs"
)

// drainerMaxSleep bounds how long the drainer waits without a state change,
// so a state restore (which swaps the store it watches) is noticed.
const drainerMaxSleep = time.Minute

// drainerRetry is how soon a pass that failed (no leader, Raft timeout) is
// tried again.
const drainerRetry = time.Second

// drainer moves allocations off draining nodes. It runs on the leader only
// (a leader duty): each pass reads the state, marks allocations for
// migration through Raft, and sleeps until the state it read changes or a
// time-based condition (a replacement becoming healthy, a deadline) is due.
//
// Pacing follows each group's migrate block: at most MaxParallel of a
// group's allocations are migrating at once, and the next ones are marked
// only when enough of the group runs healthy again (running for
// MinHealthyTime). Batch allocations run to completion; at a drain's
// deadline everything left on the node is marked. A node with nothing
// left to move has its drain completed: Drain false, still ineligible.
type drainer struct {
	srv    *Server
	logger hclog.Logger
	// now is the clock; tests may replace it.
	now func() time.Time
}

// runDrainer is the leader duty that drives node drains until ctx ends
// (leadership lost or shutdown).
func (s *Server) runDrainer(ctx context.Context) {
	d := &drainer{srv: s, logger: s.logger.Named("drainer"), now: time.Now}
	d.run(ctx)
}

func (d *drainer) run(ctx context.Context) {
	for {
		ws := memdb.NewWatchSet()
		wake, err := d.pass(ws)
		now := d.now()
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			d.logger.Error("drain pass failed; retrying", "error", err)
			if retry := now.Add(drainerRetry); wake.IsZero() || retry.Before(wake) {
				wake = retry
			}
		}
		sleep := drainerMaxSleep
		if !wake.IsZero() && wake.Sub(now) < sleep {
			sleep = max(wake.Sub(now), time.Millisecond)
		}
		wctx, cancel := context.WithTimeout(ctx, sleep)
		_ = ws.WatchCtx(wctx)
		cancel()
		if ctx.Err() != nil {
			return
		}
	}
}

// groupKey names one task group of one job.
type groupKey struct {
	namespace, job, group string
}

// pass does one round of drain work and returns when the next time-based
// check is due (zero: only state changes matter). ws collects what the
// pass read.
func (d *drainer) pass(ws memdb.WatchSet) (time.Time, error) {
	st := d.srv.State()
	nodes, err := st.Nodes(ws)
	if err != nil {
		return time.Time{}, err
	}
	now := d.now()
	var wake time.Time
	soonest := func(t time.Time) {
		if !t.IsZero() && (wake.IsZero() || t.Before(wake)) {
			wake = t
		}
	}
	marks := make(map[string]*structs.DesiredTransition)
	markJobs := make(map[structs.NamespacedID]*structs.Job)
	mark := func(a *structs.Allocation) {
		yes := true
		marks[a.ID] = &structs.DesiredTransition{Migrate: &yes}
		id := structs.NamespacedID{Namespace: a.Namespace, ID: a.JobID}
		if markJobs[id] == nil {
			job, _ := st.JobByID(nil, a.Namespace, a.JobID)
			if job == nil {
				job = a.Job
			}
			markJobs[id] = job
		}
	}
	var done []*structs.Node
	candidates := make(map[groupKey][]*structs.Allocation)
	for _, n := range nodes {
		if n.DrainStrategy == nil {
			continue
		}
		allocs, err := st.AllocsByNode(ws, n.ID)
		if err != nil {
			return wake, err
		}
		forced := n.DrainStrategy.DeadlinePassed(now)
		if !forced {
			soonest(n.DrainStrategy.ForceDeadline)
		}
		remaining := 0
		for _, a := range allocs {
			if a.TerminalStatus() {
				continue
			}
			remaining++
			if a.DesiredTransition.ShouldMigrate() {
				continue
			}
			switch {
			case forced:
				mark(a)
			case a.Job != nil && a.Job.Type == structs.JobTypeService:
				k := groupKey{a.Namespace, a.JobID, a.TaskGroup}
				candidates[k] = append(candidates[k], a)
			}
			// Batch allocations run to completion or to the deadline.
		}
		if remaining == 0 {
			done = append(done, n)
		}
	}
	for k, allocs := range candidates {
		w, err := d.pickMigrations(ws, st, k, allocs, now, mark)
		if err != nil {
			return wake, err
		}
		soonest(w)
	}
	if len(marks) > 0 {
		if err := d.commitMarks(marks, markJobs); err != nil {
			return wake, err
		}
	}
	for _, n := range done {
		if err := d.complete(n, now); err != nil {
			return wake, err
		}
	}
	return wake, nil
}

// pickMigrations marks as many of one group's allocations on draining
// nodes (allocs) as the group's migrate block allows now, and returns when
// a replacement not yet healthy will be.
func (d *drainer) pickMigrations(ws memdb.WatchSet, st *state.StateStore, k groupKey, allocs []*structs.Allocation,
	now time.Time, mark func(*structs.Allocation)) (time.Time, error) {
	job, err := st.JobByID(ws, k.namespace, k.job)
	if err != nil {
		return time.Time{}, err
	}
	if job.Stopped() {
		// The scheduler stops these allocations without replacing them.
		return time.Time{}, nil
	}
	tg := job.LookupTaskGroup(k.group)
	if tg == nil {
		return time.Time{}, nil
	}
	strategy := tg.Migrate
	if strategy == nil {
		strategy = structs.DefaultMigrateStrategy()
	}
	maxParallel := max(strategy.MaxParallel, 1)
	all, err := st.AllocsByJob(ws, k.namespace, k.job)
	if err != nil {
		return time.Time{}, err
	}
	var wake time.Time
	healthy := 0
	for _, a := range all {
		if a.TaskGroup != k.group || a.TerminalStatus() || a.DesiredTransition.ShouldMigrate() {
			continue
		}
		since := allocRunningSince(a)
		if since.IsZero() {
			continue
		}
		if at := since.Add(strategy.MinHealthyTime); now.Before(at) {
			if wake.IsZero() || at.Before(wake) {
				wake = at
			}
			continue
		}
		healthy++
	}
	// At most maxParallel of the group's Count may be unhealthy (migrating
	// or starting): that many more may go once the rest is healthy.
	n := min(healthy-(tg.Count-maxParallel), len(allocs))
	if n <= 0 {
		return wake, nil
	}
	sort.Slice(allocs, func(i, j int) bool {
		if allocs[i].Name != allocs[j].Name {
			return allocs[i].Name < allocs[j].Name
		}
		return allocs[i].ID < allocs[j].ID
	})
	for _, a := range allocs[:n] {
		mark(a)
	}
	return wake, nil
}

// allocRunningSince returns since when a has been running: the latest
// StartedAt of its running tasks, or when the client reported it running
// (ModifyTime) if it reported no task states. Zero when not running.
func allocRunningSince(a *structs.Allocation) time.Time {
	if a.ClientStatus != structs.AllocClientStatusRunning {
		return time.Time{}
	}
	var since time.Time
	for _, ts := range a.TaskStates {
		if ts != nil && ts.State == structs.TaskStateRunning && ts.StartedAt.After(since) {
			since = ts.StartedAt
		}
	}
	if since.IsZero() && a.ModifyTime != 0 {
		since = time.Unix(0, a.ModifyTime)
	}
	return since
}

// commitMarks sets the migrate marks and creates one eval per job so the
// scheduler replaces the marked allocations.
func (d *drainer) commitMarks(marks map[string]*structs.DesiredTransition, jobs map[structs.NamespacedID]*structs.Job) error {
	req := &structs.AllocUpdateDesiredTransitionRequest{Allocs: marks}
	for _, job := range jobs {
		if job != nil {
			req.Evals = append(req.Evals, d.srv.newEval(job, structs.EvalTriggerNodeDrain))
		}
	}
	d.logger.Info("marking allocations for migration", "allocs", len(marks), "jobs", len(req.Evals))
	_, err := d.srv.raftApply(structs.AllocUpdateDesiredTransitionRequestType, req)
	return err
}

// complete ends n's drain: nothing is left to move. The node stays
// ineligible, as in Nomad, until an operator marks it eligible.
func (d *drainer) complete(n *structs.Node, now time.Time) error {
	d.logger.Info("node drain complete", "node", n.ID)
	_, err := d.srv.raftApply(structs.NodeUpdateDrainRequestType, &structs.NodeUpdateDrainRequest{
		NodeID:    n.ID,
		Event:     &structs.NodeEvent{Message: "Node drain complete", Subsystem: "Drain", Timestamp: now.UnixNano()},
		UpdatedAt: now.UnixNano(),
	})
	return err
}
