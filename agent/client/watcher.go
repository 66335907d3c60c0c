package client

import (
	"context"

	"github.com/drover-project/drover/agent/client/allocdir"
	"github.com/drover-project/drover/structs"
)

// watchAllocs follows the node's allocations with blocking queries and
// hands every new result to runAllocs.
func (c *Client) watchAllocs(ctx context.Context) {
	var index uint64
	b := c.newBackoff()
	for {
		allocs, idx, err := c.cfg.Servers.NodeAllocs(ctx, c.nodeID, index)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			wait := b.next()
			c.logger.Warn("fetching allocations failed; retrying", "error", err, "retry_in", wait)
			if !c.sleep(ctx, wait) {
				return
			}
			continue
		}
		b.reset()
		// A lower index means the servers' state went back (a restore);
		// follow it rather than waiting for it to catch up.
		index = idx
		c.runAllocs(allocs)
		if ctx.Err() != nil {
			return
		}
	}
}

// runAllocs reconciles the alloc runners with the servers' view:
//   - unknown allocations the client has not finished get a runner (one
//     already stopped by the servers is marked finished without running);
//   - known allocations get the update, which the runner ignores unless
//     AllocModifyIndex moved, and stops on a stop or evict;
//   - runners whose allocation is gone (garbage collected) are stopped and
//     their directories removed.
func (c *Client) runAllocs(allocs []*structs.Allocation) {
	c.allocMu.Lock()
	defer c.allocMu.Unlock()
	if c.taskCtx.Err() != nil {
		return // shutting down: start nothing new
	}
	seen := make(map[string]bool, len(allocs))
	for _, a := range allocs {
		seen[a.ID] = true
		if ar, ok := c.runners[a.ID]; ok {
			ar.Update(a)
			continue
		}
		if a.ClientTerminalStatus() {
			continue // finished before this client knew it (or before a restart)
		}
		ar := newAllocRunner(c.allocRunnerDeps(), a)
		ar.persistAlloc(a)
		c.runners[a.ID] = ar
		c.logger.Debug("starting allocation", "alloc_id", a.ID, "name", a.Name)
		go ar.Run(c.taskCtx)
	}
	for id, ar := range c.runners {
		if seen[id] {
			continue
		}
		delete(c.runners, id)
		c.logger.Debug("allocation removed by the servers; destroying", "alloc_id", id)
		go func() {
			if err := ar.Destroy(); err != nil {
				c.logger.Warn("destroying allocation failed", "alloc_id", id, "error", err)
			}
			c.forgetAlloc(id)
		}()
	}
}

func (c *Client) allocRunnerDeps() *runnerDeps {
	return &runnerDeps{
		logger:   c.logger,
		clock:    c.clock,
		drivers:  c.cfg.Drivers,
		node:     c.Node,
		region:   c.cfg.Region,
		hostEnv:  c.cfg.HostEnv,
		allocDir: func(id string) *allocdir.AllocDir { return allocdir.New(c.cfg.AllocDir, id) },
		dirty:    c.syncer.markDirty,
		db:       c.db,
		nodeID:   c.nodeID,
	}
}
