package server

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/drover-project/drover/agent/rpcclient"
	"github.com/drover-project/drover/structs"
)

// leaderWait is how long a follower waits for a leader before it refuses a
// write with ErrNoLeader.
const leaderWait = 5 * time.Second

// forwarder sends writes that reach a follower on to the leader over RPC.
type forwarder struct {
	mu    sync.Mutex
	conns map[string]*rpcclient.Servers
}

// forward runs method on the leader when this server is not the leader. It
// reports whether it forwarded; when it did, err is the leader's answer.
func (s *Server) forward(ctx context.Context, method string, args, reply interface{}) (bool, error) {
	if s.IsLeader() {
		return false, nil
	}
	leader := s.Leader()
	deadline := time.Now().Add(leaderWait)
	for leader == "" {
		if time.Now().After(deadline) {
			return true, fmt.Errorf("%s: %w", method, structs.ErrNoLeader)
		}
		select {
		case <-ctx.Done():
			return true, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if s.IsLeader() {
			return false, nil
		}
		leader = s.Leader()
	}
	conn, err := s.fwd.conn(leader, s)
	if err != nil {
		return true, err
	}
	// A write may legitimately take as long as a Raft apply; but if this
	// server loses its leader meanwhile (it was cut off), give up at once
	// instead of waiting for a dead connection.
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- conn.Call(cctx, method, args, reply) }()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			return true, err
		case <-tick.C:
			if l := s.Leader(); l != leader {
				cancel()
				<-done
				return true, fmt.Errorf("%s: leader %s was lost while the request was forwarded (now %q): %w", method, leader, l, structs.ErrNoLeader)
			}
		}
	}
}

func (f *forwarder) conn(addr string, s *Server) (*rpcclient.Servers, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.conns == nil {
		f.conns = map[string]*rpcclient.Servers{}
	}
	if c, ok := f.conns[addr]; ok {
		return c, nil
	}
	c, err := rpcclient.New([]string{addr}, s.logger)
	if err != nil {
		return nil, fmt.Errorf("connecting to leader %s: %w", addr, err)
	}
	c.AttemptTimeout = raftApplyTimeout
	f.conns[addr] = c
	return c, nil
}

func (f *forwarder) close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for addr, c := range f.conns {
		c.Close()
		delete(f.conns, addr)
	}
	return nil
}

// caughtUp waits until this server's state has applied index, so that a
// client that wrote through a follower reads its own write from it.
func (s *Server) caughtUp(ctx context.Context, index uint64, err error) error {
	if err != nil || index == 0 {
		return err
	}
	if werr := s.waitApplied(ctx, index); werr != nil {
		return fmt.Errorf("write committed at index %d, but this server has not applied it yet: %w", index, werr)
	}
	return nil
}
