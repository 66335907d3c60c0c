package client

// restore creates runners for the allocations recorded in the state DB by
// a previous run of the client and starts them: their tasks re-attach to
// what still runs (see taskRunner.resume). Allocations the servers no
// longer want are then stopped by the first runAllocs, like any other.
func (c *Client) restore() {
	recs, err := c.db.Allocs()
	if err != nil {
		c.logger.Error("some saved allocations could not be read; they are ignored", "error", err)
	}
	c.allocMu.Lock()
	defer c.allocMu.Unlock()
	for _, rec := range recs {
		if _, ok := c.runners[rec.Alloc.ID]; ok {
			continue
		}
		ar := newAllocRunner(c.allocRunnerDeps(), rec.Alloc)
		ar.restore(rec.Tasks)
		c.runners[rec.Alloc.ID] = ar
		c.logger.Debug("restoring allocation", "alloc_id", rec.Alloc.ID, "name", rec.Alloc.Name)
		go ar.Run(c.taskCtx)
	}
	if len(recs) > 0 {
		c.logger.Info("restored allocations", "count", len(recs))
	}
}

// forgetAlloc deletes a destroyed allocation from the state DB.
func (c *Client) forgetAlloc(id string) {
	if err := c.db.DeleteAlloc(id); err != nil {
		c.logger.Warn("deleting saved allocation failed", "alloc_id", id, "error", err)
	}
}

func (c *Client) closeDB() {
	c.dbClose.Do(func() {
		if err := c.db.Close(); err != nil {
			c.logger.Warn("closing the state DB failed", "error", err)
		}
	})
}
