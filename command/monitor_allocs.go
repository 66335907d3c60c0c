package command

import (
	"context"
	"time"

	"github.com/drover-project/drover/api"
	"github.com/drover-project/drover/structs"
)

// followAllocs waits, with blocking queries on each allocation, until every
// allocation in ids is running or terminal, printing each client status
// change. It gives up quietly after allocWait: the job was placed, which
// is what `job run` promises; `alloc status` shows what happens next.
// It returns 0 unless the user interrupted it.
func (mon *evalMonitor) followAllocs(ids []string) int {
	ctx, cancel := context.WithTimeout(mon.Ctx, mon.allocWait)
	defer cancel()
	for _, id := range ids {
		if !mon.followAlloc(ctx, id) {
			break
		}
	}
	if mon.Ctx.Err() != nil {
		mon.Errorf("Monitoring interrupted")
		return 1
	}
	if ctx.Err() != nil {
		mon.line("Timed out after %s waiting for allocations to start; see \"drover alloc status\"", mon.allocWait)
	}
	return 0
}

// followAlloc follows one allocation until it is running or terminal. It
// returns false when ctx ended first.
func (mon *evalMonitor) followAlloc(ctx context.Context, id string) bool {
	status := structs.AllocClientStatusPending
	var index uint64
	for {
		// Bound each query by the time left so the wait stays bounded.
		wait := monitorWait
		if dl, ok := ctx.Deadline(); ok {
			wait = min(wait, max(time.Until(dl), time.Second))
		}
		alloc, qm, err := mon.client.Allocations().Info(id, (&api.QueryOptions{WaitIndex: index, WaitTime: wait}).WithContext(ctx))
		if err != nil {
			if ctx.Err() == nil {
				mon.line("Error reading allocation %q: %v", shortID(id, mon.verbose), err)
			}
			return ctx.Err() == nil
		}
		index = qm.LastIndex
		if alloc.ClientStatus != status {
			desc := ""
			if alloc.ClientDescription != "" {
				desc = " (" + alloc.ClientDescription + ")"
			}
			mon.line("Allocation %q status changed: %q -> %q%s", shortID(id, mon.verbose), status, alloc.ClientStatus, desc)
			status = alloc.ClientStatus
		}
		if status == structs.AllocClientStatusRunning || alloc.ClientTerminalStatus() || alloc.TerminalStatus() {
			return true
		}
		if ctx.Err() != nil {
			return false
		}
	}
}
