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
// dirty allocation in one UpdateAllocs call at most every interval. A
// failed call puts the allocations back, so no update is lost.
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
// what is still dirty.
func (s *allocSyncer) run(ctx context.Context) {
	b := &backoff{min: s.retryMin, max: s.retryMax}
	for {
		select {
		case <-ctx.Done():
			s.finalFlush()
			return
		case <-s.notify:
		}
		wait := s.interval
		if err := s.flush(ctx); err != nil {
			wait = b.next()
			s.logger.Warn("sending allocation updates failed; retrying", "error", err, "retry_in", wait)
		} else {
			b.reset()
		}
		select {
		case <-ctx.Done():
		case <-s.clock.After(wait):
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
