package client

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/structs"
)

// statusSource produces an allocation's current client-side status.
type statusSource interface {
	// clientAlloc returns a fresh allocation holding only ID, NodeID,
	// ClientStatus, ClientDescription and TaskStates.
	clientAlloc() *structs.Allocation
}

// allocSyncer batches status reports: runners mark allocations dirty as
// often as they like, and the syncer sends the latest status of every
// dirty allocation in one UpdateAllocs call, on average at most one per interval. A
// failed call puts the allocations back, so no update is lost.
//
// A quiet client may send syncBurst reports back to back, so that a new
// allocation's "pending" and, moments later, "running" both arrive at once
// instead of "running" waiting a whole interval.
type allocSyncer struct {
	servers  ServerAPI
	clock    Clock
	logger   hclog.Logger
	interval time.Duration
	retryMin time.Duration
	retryMax time.Duration

	mu     sync.Mutex
	dirty  map[string]statusSource
	notify chan struct{} // capacity 1: "something is dirty"
}

// maxSettle bounds the settle time before a report is sent, so that changes
// made together (several tasks starting) travel together.
const maxSettle = 10 * time.Millisecond

// syncBurst is how many reports a quiet client may send back to back.
const syncBurst = 2

func newAllocSyncer(s ServerAPI, clock Clock, logger hclog.Logger, interval, retryMin, retryMax time.Duration) *allocSyncer {
	return &allocSyncer{
		servers: s, clock: clock, logger: logger.Named("alloc_sync"),
		interval: interval, retryMin: retryMin, retryMax: retryMax,
		dirty: make(map[string]statusSource), notify: make(chan struct{}, 1),
	}
}

// markDirty asks for allocID's status to be sent. Safe for concurrent use.
func (s *allocSyncer) markDirty(allocID string, src statusSource) {
	s.mu.Lock()
	s.dirty[allocID] = src
	s.mu.Unlock()
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

// run sends batches until ctx ends, then makes one last attempt to send
// what is still dirty. Sends are paced by a token bucket of syncBurst
// tokens refilled one per interval: a quiet client reports a burst (pending,
// then running) at once, a busy one at most once per interval.
func (s *allocSyncer) run(ctx context.Context) {
	b := &backoff{min: s.retryMin, max: s.retryMax}
	tokens, refilled := float64(syncBurst), s.clock.Now()
	sleep := func(d time.Duration) bool {
		select {
		case <-ctx.Done():
			return false
		case <-s.clock.After(d):
			return true
		}
	}
	for {
		select {
		case <-ctx.Done():
			s.finalFlush()
			return
		case <-s.notify:
		}
		if !sleep(min(s.interval/20, maxSettle)) {
			continue
		}
		now := s.clock.Now()
		tokens = min(float64(syncBurst), tokens+float64(now.Sub(refilled))/float64(s.interval))
		refilled = now
		if tokens < 1 {
			if !sleep(time.Duration((1 - tokens) * float64(s.interval))) {
				continue
			}
			tokens, refilled = 1, s.clock.Now()
		}
		tokens--
		if err := s.flush(ctx); err != nil {
			wait := b.next()
			s.logger.Warn("sending allocation updates failed; retrying", "error", err, "retry_in", wait)
			sleep(wait)
		} else {
			b.reset()
		}
	}
}

func (s *allocSyncer) finalFlush() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.flush(ctx); err != nil {
		s.logger.Warn("final allocation update failed", "error", err)
	}
}

// flush sends every dirty allocation once.
func (s *allocSyncer) flush(ctx context.Context) error {
	s.mu.Lock()
	batch := s.dirty
	s.dirty = make(map[string]statusSource)
	s.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	updates := make([]*structs.Allocation, 0, len(batch))
	for _, src := range batch {
		updates = append(updates, src.clientAlloc())
	}
	sort.Slice(updates, func(i, j int) bool { return updates[i].ID < updates[j].ID })
	if err := s.servers.UpdateAllocs(ctx, updates); err != nil {
		s.mu.Lock()
		for id, src := range batch {
			if _, newer := s.dirty[id]; !newer {
				s.dirty[id] = src
			}
		}
		s.mu.Unlock()
		select {
		case s.notify <- struct{}{}:
		default:
		}
		return err
	}
	return nil
}
