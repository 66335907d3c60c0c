package server

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hashicorp/raft"
	raftboltdb "github.com/hashicorp/raft-boltdb/v2"

	"github.com/drover-project/drover/structs"
)

// raftApplyTimeout bounds how long a write waits to be committed.
const raftApplyTimeout = 30 * time.Second

// setupRaft starts Raft: in memory for a dev server without a data dir, else
// BoltDB logs and file snapshots under DataDir/server/raft. A server with no
// Raft state bootstraps itself as a single-voter cluster (clustering of
// several servers is configured by the agent).
func (s *Server) setupRaft() error {
	conf := raft.DefaultConfig()
	conf.LocalID = raft.ServerID(s.config.NodeName)
	conf.Logger = s.logger.Named("raft")
	conf.SnapshotThreshold = 8192
	if s.config.DevMode {
		// One voter: elect at once. The timeouts only matter with peers.
		conf.HeartbeatTimeout = 10 * time.Millisecond
		conf.ElectionTimeout = 10 * time.Millisecond
		conf.LeaderLeaseTimeout = 10 * time.Millisecond
		conf.CommitTimeout = 5 * time.Millisecond
	}

	var (
		logs   raft.LogStore
		stable raft.StableStore
		snaps  raft.SnapshotStore
		trans  raft.Transport
		err    error
	)
	if s.config.DevMode && s.config.DataDir == "" {
		store := raft.NewInmemStore()
		logs, stable, snaps = store, store, raft.NewInmemSnapshotStore()
		_, trans = raft.NewInmemTransport(raft.ServerAddress(s.config.NodeName))
	} else {
		dir := filepath.Join(s.config.DataDir, "server", "raft")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("creating raft dir %s: %w", dir, err)
		}
		bolt, err := raftboltdb.NewBoltStore(filepath.Join(dir, "raft.db"))
		if err != nil {
			return fmt.Errorf("opening raft log %s: %w", filepath.Join(dir, "raft.db"), err)
		}
		s.closers = append(s.closers, bolt.Close)
		cache, err := raft.NewLogCache(512, bolt)
		if err != nil {
			return err
		}
		logs, stable = cache, bolt
		snaps, err = raft.NewFileSnapshotStoreWithLogger(dir, 2, conf.Logger)
		if err != nil {
			return fmt.Errorf("opening raft snapshots in %s: %w", dir, err)
		}
		if s.rpcListener == nil {
			return fmt.Errorf("raft needs the rpc listener on %s", s.config.RaftAddr)
		}
		trans = raft.NewNetworkTransportWithLogger(s.rpcListener.raft, 3, 10*time.Second, conf.Logger)
	}
	s.raftTransport = trans

	hasState, err := raft.HasExistingState(logs, stable, snaps)
	if err != nil {
		return fmt.Errorf("reading raft state: %w", err)
	}
	s.bootstrapped.Store(hasState)
	// A lone server bootstraps itself; a cluster waits for bootstrap_expect
	// servers to find each other through gossip (maybeBootstrap).
	if !hasState && s.config.BootstrapExpect <= 1 {
		s.bootstrapped.Store(true)
		cfg := raft.Configuration{Servers: []raft.Server{{
			Suffrage: raft.Voter, ID: conf.LocalID, Address: trans.LocalAddr(),
		}}}
		if err := raft.BootstrapCluster(conf, logs, stable, snaps, trans, cfg); err != nil {
			return fmt.Errorf("bootstrapping raft: %w", err)
		}
	}
	r, err := raft.NewRaft(conf, s.fsm, logs, stable, snaps, trans)
	if err != nil {
		return fmt.Errorf("starting raft: %w", err)
	}
	s.raft = r
	return nil
}

// raftServer is a voter for bootstrapping.
type raftServer struct {
	id, addr string
}

// bootstrapRaft bootstraps the cluster with voters, once.
func (s *Server) bootstrapRaft(voters []raftServer) error {
	cfg := raft.Configuration{}
	for _, v := range voters {
		cfg.Servers = append(cfg.Servers, raft.Server{Suffrage: raft.Voter, ID: raft.ServerID(v.id), Address: raft.ServerAddress(v.addr)})
	}
	if err := s.raft.BootstrapCluster(cfg).Error(); err != nil && !errors.Is(err, raft.ErrCantBootstrap) {
		return err
	}
	s.bootstrapped.Store(true)
	return nil
}

// addVoter adds a server to the Raft configuration (leader only).
func (s *Server) addVoter(id, addr string) error {
	return s.raft.AddVoter(raft.ServerID(id), raft.ServerAddress(addr), 0, raftApplyTimeout).Error()
}

// removeServer removes a server from the Raft configuration (leader only).
func (s *Server) removeServer(id string) error {
	return s.raft.RemoveServer(raft.ServerID(id), 0, raftApplyTimeout).Error()
}

// raftApply replicates one message and returns the index it was applied at.
// An error the FSM returned (e.g. an unknown job) is passed back as is.
func (s *Server) raftApply(t structs.MessageType, msg interface{}) (uint64, error) {
	buf, err := structs.Encode(t, msg)
	if err != nil {
		return 0, err
	}
	f := s.raft.Apply(buf, raftApplyTimeout)
	if err := f.Error(); err != nil {
		if errors.Is(err, raft.ErrNotLeader) || errors.Is(err, raft.ErrLeadershipLost) {
			return 0, fmt.Errorf("%w: %v", structs.ErrNotLeader, err)
		}
		return 0, fmt.Errorf("raft apply: %w", err)
	}
	if resp, ok := f.Response().(error); ok && resp != nil {
		return f.Index(), resp
	}
	return f.Index(), nil
}
