package server

import (
	"math/rand/v2"
	"sync"
	"time"

	"github.com/drover-project/drover/state"
	"github.com/drover-project/drover/structs"
)

// heartbeats keeps one timer per live node on the leader. A heartbeat
// resets its node's timer (O(1), no walk over all nodes); a timer that
// fires marks its node down.
type heartbeats struct {
	srv *Server

	mu     sync.Mutex
	timers map[string]*time.Timer
}

func newHeartbeats(s *Server) *heartbeats {
	return &heartbeats{srv: s, timers: make(map[string]*time.Timer)}
}

// initialize gives every node that is not down a fresh TTL on a new leader,
// so clients have time to find it.
func (h *heartbeats) initialize(snap *state.StateSnapshot) error {
	nodes, err := snap.Nodes(nil)
	if err != nil {
		return err
	}
	for _, n := range nodes {
		if n.Status != structs.NodeStatusDown {
			h.reset(n.ID, h.ttl()+h.srv.config.HeartbeatGrace)
		}
	}
	return nil
}

// ttl sizes the TTL so that all nodes together heartbeat no faster than
// MaxHeartbeatsPerSecond, with jitter to spread them out.
func (h *heartbeats) ttl() time.Duration {
	cfg := h.srv.config
	h.mu.Lock()
	n := len(h.timers)
	h.mu.Unlock()
	ttl := time.Duration(float64(n) / cfg.MaxHeartbeatsPerSecond * float64(time.Second))
	if ttl < cfg.MinHeartbeatTTL {
		ttl = cfg.MinHeartbeatTTL
	}
	return ttl + time.Duration(rand.Int64N(int64(ttl)/2+1))
}

// reset (re)arms a node's timer.
func (h *heartbeats) reset(nodeID string, after time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if t, ok := h.timers[nodeID]; ok {
		t.Reset(after)
		return
	}
	h.timers[nodeID] = time.AfterFunc(after, func() { h.expire(nodeID) })
}

func (h *heartbeats) remove(nodeID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if t, ok := h.timers[nodeID]; ok {
		t.Stop()
		delete(h.timers, nodeID)
	}
}

func (h *heartbeats) clear() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for id, t := range h.timers {
		t.Stop()
		delete(h.timers, id)
	}
}

func (h *heartbeats) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.timers)
}

// expire handles a silent node: it is marked down (or disconnected, when
// it runs allocations whose groups tolerate that; see disconnect.go) and
// the scheduler is asked to replace its work.
func (h *heartbeats) expire(nodeID string) {
	h.remove(nodeID)
	s := h.srv
	if !s.IsLeader() {
		return
	}
	if err := s.nodeSilent(nodeID); err != nil {
		s.logger.Error("handling a silent node failed", "node", nodeID, "error", err)
	}
}
