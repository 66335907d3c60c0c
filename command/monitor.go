package command

import (
	"fmt"
	"sort"
	"time"

	"github.com/drover-project/drover/api"
	"github.com/drover-project/drover/structs"
)

// Monitor tuning.
const (
	// monitorWait is the wait of each blocking query the monitor makes.
	monitorWait = 10 * time.Second
	// defaultAllocWait bounds how long `job run` follows new allocations
	// until they run.
	defaultAllocWait = time.Minute
)

// evalMonitor follows an evaluation until it is finished and prints its
// progress the way Nomad's monitor does.
type evalMonitor struct {
	*Meta
	client  *api.Client
	verbose bool
	// allocWait, when positive, follows the allocations the evaluation
	// placed until each is running or terminal, for at most this long.
	allocWait time.Duration
}

// header prints a "==> time: ..." line.
func (mon *evalMonitor) header(format string, args ...interface{}) {
	mon.Outputf("==> %s: %s", formatTime(mon.Now()), fmt.Sprintf(format, args...))
}

// line prints a "    time: ..." line.
func (mon *evalMonitor) line(format string, args ...interface{}) {
	mon.Outputf("    %s: %s", formatTime(mon.Now()), fmt.Sprintf(format, args...))
}

// monitor follows evalID (and the evaluations it hands over to with
// NextEval). It returns 0 when everything was placed, 2 when placements
// failed and 1 on errors.
func (mon *evalMonitor) monitor(evalID string) int {
	mon.header("Monitoring evaluation %q", shortID(evalID, mon.verbose))
	created := map[string]bool{}
	var placed []string
	for {
		eval, code := mon.waitEval(evalID, created, &placed)
		if eval == nil {
			return code
		}
		if eval.NextEval != "" {
			evalID = eval.NextEval
			mon.header("Monitoring next evaluation %q", shortID(evalID, mon.verbose))
			continue
		}
		if len(eval.FailedTGAllocs) > 0 {
			mon.header("Evaluation %q finished with status %q but failed to place all allocations:",
				shortID(eval.ID, mon.verbose), eval.Status)
			mon.printFailures(eval)
			return 2
		}
		mon.header("Evaluation %q finished with status %q", shortID(eval.ID, mon.verbose), eval.Status)
		if eval.Status == structs.EvalStatusFailed {
			return 1
		}
		if mon.allocWait > 0 && len(placed) > 0 {
			return mon.followAllocs(placed)
		}
		return 0
	}
}

// waitEval blocks on evalID until it is no longer pending, printing its
// trigger, the allocations it creates and its status changes. created
// holds the allocations already announced; new placements are appended to
// placed. A nil evaluation means stop with the returned code.
func (mon *evalMonitor) waitEval(evalID string, created map[string]bool, placed *[]string) (*structs.Evaluation, int) {
	var index uint64
	status := structs.EvalStatusPending
	announced := false
	for {
		q := mon.query(&api.QueryOptions{WaitIndex: index, WaitTime: monitorWait})
		eval, qm, err := mon.client.Evaluations().Info(evalID, q)
		if err != nil {
			return nil, mon.monitorError("Error reading evaluation", err)
		}
		index = qm.LastIndex
		if !announced {
			announced = true
			switch {
			case eval.NodeID != "":
				mon.line("Evaluation triggered by node %q", shortID(eval.NodeID, mon.verbose))
			case eval.JobID != "":
				mon.line("Evaluation triggered by job %q", eval.JobID)
			}
		}
		allocs, _, err := mon.client.Evaluations().Allocations(evalID, mon.query(nil))
		if err != nil {
			return nil, mon.monitorError("Error reading allocations", err)
		}
		for _, a := range allocs {
			if created[a.ID] {
				continue
			}
			created[a.ID] = true
			verb := "modified"
			if a.CreateIndex >= eval.CreateIndex {
				verb = "created"
				*placed = append(*placed, a.ID)
			}
			mon.line("Allocation %q %s: node %q, group %q", shortID(a.ID, mon.verbose), verb,
				shortID(a.NodeID, mon.verbose), a.TaskGroup)
		}
		if eval.Status != status {
			mon.line("Evaluation status changed: %q -> %q", status, eval.Status)
			status = eval.Status
		}
		if eval.Status != structs.EvalStatusPending {
			return eval, 0
		}
	}
}

// monitorError reports a failed monitor read. An interrupt (the context
// cancelled) is reported as such rather than as a failed request.
func (mon *evalMonitor) monitorError(what string, err error) int {
	if mon.Ctx.Err() != nil {
		mon.Errorf("Monitoring interrupted")
		return 1
	}
	mon.Errorf("%s: %v", what, err)
	return 1
}

// printFailures prints Nomad's placement failure block for eval.
func (mon *evalMonitor) printFailures(eval *structs.Evaluation) {
	groups := make([]string, 0, len(eval.FailedTGAllocs))
	for tg := range eval.FailedTGAllocs {
		groups = append(groups, tg)
	}
	sort.Strings(groups)
	for _, tg := range groups {
		metric := eval.FailedTGAllocs[tg]
		n := metric.CoalescedFailures + 1
		mon.line("Task Group %q (failed to place %d allocation%s):", tg, n, plural(n))
		for _, l := range allocMetricLines(metric) {
			mon.Outputf("      * %s", l)
		}
	}
	if eval.BlockedEval != "" {
		mon.line("Evaluation %q waiting for additional capacity to place remainder",
			shortID(eval.BlockedEval, mon.verbose))
	}
}
