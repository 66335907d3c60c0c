package server

import (
	"context"
	"fmt"
	"time"

	"github.com/drover-project/drover/structs"
)

// ReadIndexRequest asks the leader for the index a consistent read must
// reflect. With Verify the leader first confirms with a quorum that it
// still leads (Nomad's ?consistent); without, it trusts its own view (the
// default, as Nomad's default mode reads the leader's state).
type ReadIndexRequest struct {
	Verify bool
}

// ReadIndexResponse carries the leader's index.
type ReadIndexResponse struct {
	Index uint64
}

// StatusEndpoint serves cluster status over RPC ("Status.*").
type StatusEndpoint struct {
	srv *Server
}

// ReadIndex answers a follower's consistent read.
func (e *StatusEndpoint) ReadIndex(args *ReadIndexRequest, reply *ReadIndexResponse) error {
	idx, err := e.srv.leaderReadIndex(args.Verify)
	reply.Index = idx
	return err
}

// leaderReadIndex is the index a consistent read must wait for: the last
// entry the leader's state has applied. Every write acknowledged to a client
// is at or below it (Raft answers a write only once the leader applied it).
func (s *Server) leaderReadIndex(verify bool) (uint64, error) {
	if !s.IsLeader() {
		return 0, structs.ErrNotLeader
	}
	if verify {
		if err := s.raft.VerifyLeader().Error(); err != nil {
			return 0, fmt.Errorf("%w: %v", structs.ErrNotLeader, err)
		}
	}
	return s.fsm.AppliedIndex(), nil
}

// ConsistentRead returns once this server's state reflects every write the
// leader had committed when the read began, so a read that follows it sees
// them even on a follower. It is what makes reads consistent by default;
// ?stale reads skip it.
func (s *Server) ConsistentRead(ctx context.Context, verify bool) error {
	var index uint64
	if s.IsLeader() {
		idx, err := s.leaderReadIndex(verify)
		if err != nil {
			return err
		}
		index = idx
	} else {
		var reply ReadIndexResponse
		done, err := s.forward(ctx, "Status.ReadIndex", &ReadIndexRequest{Verify: verify}, &reply)
		if err != nil {
			return err
		}
		if !done { // became the leader meanwhile
			return s.ConsistentRead(ctx, verify)
		}
		index = reply.Index
	}
	return s.waitApplied(ctx, index)
}

// waitApplied waits until this server's state has applied index.
func (s *Server) waitApplied(ctx context.Context, index uint64) error {
	ctx, cancel := context.WithTimeout(ctx, raftApplyTimeout)
	defer cancel()
	for s.fsm.AppliedIndex() < index {
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting to apply index %d for a consistent read: %w", index, ctx.Err())
		case <-time.After(time.Millisecond):
		}
	}
	return nil
}

// LastContact is how long ago this server last heard from the leader (0 on
// the leader itself).
func (s *Server) LastContact() time.Duration {
	if s.IsLeader() {
		return 0
	}
	last := s.raft.LastContact()
	if last.IsZero() {
		return 0
	}
	return time.Since(last)
}
