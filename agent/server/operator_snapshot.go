package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/hashicorp/raft"

	"github.com/drover-project/drover/structs"
)

// snapshotAttempts bounds retries when Raft's own snapshotting races ours.
const snapshotAttempts = 3

// EmptyRPCRequest is the argument of RPCs that take none.
type EmptyRPCRequest struct{}

// SnapshotArchive carries a whole snapshot archive over RPC: a follower
// forwards saves and restores to the leader this way, so an archive must
// fit in memory on both.
type SnapshotArchive struct {
	Archive []byte
}

// SaveSnapshot writes an archive of the leader's state to w (see
// snapshot_archive.go for the format). A follower fetches it from the
// leader.
func (s *Server) SaveSnapshot(ctx context.Context, w io.Writer) error {
	var reply SnapshotArchive
	if fwd, err := s.forward(ctx, "Operator.SnapshotSave", &EmptyRPCRequest{}, &reply); fwd {
		if err != nil {
			return err
		}
		_, err := w.Write(reply.Archive)
		return err
	}
	return s.writeSnapshot(w)
}

// writeSnapshot takes a Raft snapshot after a barrier, so it holds every
// write committed before the call, and writes it as an archive.
func (s *Server) writeSnapshot(w io.Writer) error {
	for attempt := 1; ; attempt++ {
		// The barrier gives the FSM a new index past any earlier snapshot
		// and past any pending configuration change, which Raft needs to
		// take a new one.
		if err := s.raft.Barrier(raftApplyTimeout).Error(); err != nil {
			return fmt.Errorf("waiting for the state to catch up before a snapshot: %w", err)
		}
		f := s.raft.Snapshot()
		err := f.Error()
		if errors.Is(err, raft.ErrNothingNewToSnapshot) && attempt < snapshotAttempts {
			continue // Raft snapshotted on its own right after our barrier
		}
		if err != nil {
			return fmt.Errorf("taking a raft snapshot: %w", err)
		}
		meta, rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("opening the raft snapshot: %w", err)
		}
		defer rc.Close()
		return writeSnapshotArchive(w, meta, rc)
	}
}

// RestoreSnapshot replaces the cluster's state with an archive's, through
// Raft on the leader: every server ends up with the archive's jobs, nodes,
// allocations and evaluations. The Raft configuration (the set of servers)
// is kept. The archive is checked completely before anything changes; a bad
// one is a 400.
func (s *Server) RestoreSnapshot(ctx context.Context, r io.Reader) error {
	if !s.IsLeader() {
		buf, err := io.ReadAll(r)
		if err != nil {
			return fmt.Errorf("reading the snapshot to forward: %w", err)
		}
		var reply structs.GenericResponse
		if fwd, err := s.forward(ctx, "Operator.SnapshotRestore", &SnapshotArchive{Archive: buf}, &reply); fwd {
			return err
		}
		r = bytes.NewReader(buf) // became leader meanwhile
	}
	sf, err := extractSnapshot(r)
	if err != nil {
		return structs.NewCodedError(http.StatusBadRequest, "invalid snapshot: %v", err)
	}
	defer sf.close()
	s.logger.Info("restoring snapshot", "id", sf.meta.ID, "index", sf.meta.Index, "jobs", sf.info.Jobs,
		"nodes", sf.info.Nodes, "allocs", sf.info.Allocs, "evals", sf.info.Evals)
	if err := s.raft.Restore(sf.meta, sf.File, raftApplyTimeout); err != nil {
		if errors.Is(err, raft.ErrNotLeader) || errors.Is(err, raft.ErrLeadershipLost) {
			return fmt.Errorf("restoring snapshot: %w: %v", structs.ErrNotLeader, err)
		}
		return fmt.Errorf("restoring snapshot: %w", err)
	}
	// The leader's broker, blocked evals and heartbeat timers were built
	// from the replaced state: rebuild them from the restored one.
	return s.reassertLeadership(ctx)
}

// reassertLeadership restarts the leader's duties from the current state.
func (s *Server) reassertLeadership(ctx context.Context) error {
	errCh := make(chan error, 1)
	select {
	case s.reassert <- errCh:
	case <-ctx.Done():
		return fmt.Errorf("restarting leader duties after a restore: %w", ctx.Err())
	case <-s.shutdownCtx.Done():
		return errors.New("restarting leader duties after a restore: server is shutting down")
	}
	select {
	case err := <-errCh:
		if err != nil {
			return fmt.Errorf("restarting leader duties after a restore: %w", err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("restarting leader duties after a restore: %w", ctx.Err())
	}
}
