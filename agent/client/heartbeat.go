package client

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/drover-project/drover/structs"
)

// registerWithRetry registers the node until it succeeds, backing off
// between attempts. It returns false only when ctx ends first.
func (c *Client) registerWithRetry(ctx context.Context) bool {
	b := c.newBackoff()
	for {
		ttl, err := c.cfg.Servers.RegisterNode(ctx, c.Node())
		if err == nil {
			c.nodeMu.Lock()
			c.ttl = int64(ttl)
			c.nodeMu.Unlock()
			c.logger.Info("node registered", "node_id", c.nodeID, "heartbeat_ttl", ttl)
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		wait := b.next()
		c.logger.Warn("registering node failed; retrying", "error", err, "retry_in", wait)
		if !c.sleep(ctx, wait) {
			return false
		}
	}
}

// heartbeatLoop heartbeats a little before each TTL runs out and registers
// again when the servers have forgotten the node.
func (c *Client) heartbeatLoop(ctx context.Context) {
	b := c.newBackoff()
	c.nodeMu.RLock()
	wait := heartbeatWait(time.Duration(c.ttl))
	c.nodeMu.RUnlock()
	for {
		if !c.sleep(ctx, wait) {
			return
		}
		// Bounded by the TTL: a heartbeat stuck on a dead server must give up
		// in time for another server to be tried before the node expires.
		c.nodeMu.RLock()
		bound := max(time.Duration(c.ttl)/2, time.Second)
		c.nodeMu.RUnlock()
		hctx, cancel := context.WithTimeout(ctx, bound)
		ttl, err := c.cfg.Servers.Heartbeat(hctx, c.nodeID)
		cancel()
		switch {
		case err == nil:
			b.reset()
			c.nodeMu.Lock()
			c.ttl = int64(ttl)
			c.nodeMu.Unlock()
			wait = heartbeatWait(ttl)
		case ctx.Err() != nil:
			return
		case errors.Is(err, structs.ErrUnknownNode):
			c.logger.Warn("servers do not know this node; registering again", "node_id", c.nodeID)
			if !c.registerWithRetry(ctx) {
				return
			}
			c.nodeMu.RLock()
			wait = heartbeatWait(time.Duration(c.ttl))
			c.nodeMu.RUnlock()
		default:
			// Back off, but retry well within the TTL: a new leader gives
			// every node one fresh TTL, and a client that waits longer than
			// that to find it is marked down for nothing.
			c.nodeMu.RLock()
			wait = min(b.next(), max(time.Duration(c.ttl)/4, 250*time.Millisecond))
			c.nodeMu.RUnlock()
			c.logger.Warn("heartbeat failed; retrying", "error", err, "retry_in", wait)
		}
	}
}

// heartbeatWait is 60-80% of the TTL: early enough to survive a slow
// round trip, jittered so nodes do not heartbeat in lockstep.
func heartbeatWait(ttl time.Duration) time.Duration {
	if ttl <= 0 {
		return time.Second
	}
	base := ttl * 6 / 10
	return base + time.Duration(rand.Int64N(int64(ttl)/5+1))
}

// sleep waits d on the client's clock; it returns false if ctx ended first.
func (c *Client) sleep(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-c.clock.After(d):
		return true
	}
}

// backoff doubles a wait from min up to max.
type backoff struct {
	min, max, cur time.Duration
}

func (c *Client) newBackoff() *backoff {
	return &backoff{min: c.cfg.RetryInterval, max: c.cfg.MaxRetryInterval}
}

func (b *backoff) next() time.Duration {
	if b.cur == 0 {
		b.cur = b.min
	} else if b.cur *= 2; b.cur > b.max {
		b.cur = b.max
	}
	return b.cur
}

func (b *backoff) reset() { b.cur = 0 }
