package server

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"

	"github.com/drover-project/drover/state"
)

// Server is one server of the cluster.
type Server struct {
	config *Config
	logger hclog.Logger

	fsm           *FSM
	raft          *raft.Raft
	raftTransport raft.Transport
	rpcListener   *rpcListener
	gossip        *gossip
	fwd           forwarder
	// bootstrapped is set once Raft has a configuration (from disk, a lone
	// server's self-bootstrap, or bootstrap_expect servers meeting).
	bootstrapped atomic.Bool
	closers      []func() error

	broker    *EvalBroker
	blocked   *BlockedEvals
	planQueue *PlanQueue
	heartbeat *heartbeats
	keyring   *keyring
	// reassert asks monitorLeadership to restart leader duties from the
	// current state (after a snapshot restore replaced it).
	reassert  chan chan error
	autopilot autopilotState

	shutdownCtx    context.Context
	shutdownCancel context.CancelFunc
	wg             sync.WaitGroup
}

// New starts a server: Raft, and the loop that starts leader duties when
// this server is elected.
func New(cfg *Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Server{config: cfg, logger: cfg.Logger.Named("server")}
	kr, err := newKeyring(time.Now())
	if err != nil {
		return nil, err
	}
	s.keyring = kr
	s.broker = NewEvalBroker(cfg.EvalNackTimeout, cfg.EvalDeliveryLimit)
	s.blocked = NewBlockedEvals(s.broker)
	s.planQueue = NewPlanQueue()
	s.heartbeat = newHeartbeats(s)
	s.shutdownCtx, s.shutdownCancel = context.WithCancel(context.Background())
	s.reassert = make(chan chan error)

	fsm, err := NewFSM(&leaderSink{broker: s.broker, blocked: s.blocked}, s.logger)
	if err != nil {
		return nil, err
	}
	s.fsm = fsm
	if cfg.RaftAddr != "" {
		if err := s.listenRPC(); err != nil {
			return nil, err
		}
	}
	if err := s.setupRaft(); err != nil {
		s.closeAll()
		return nil, err
	}
	if s.rpcListener != nil {
		close(s.rpcListener.ready)
	}
	s.closers = append(s.closers, s.fwd.close)
	s.wg.Add(1)
	go s.monitorLeadership()
	if cfg.SerfAddr != "" && !cfg.DevMode {
		if err := s.setupGossip(); err != nil {
			_ = s.Shutdown()
			return nil, err
		}
		if len(cfg.RetryJoin) > 0 {
			s.wg.Add(1)
			go s.retryJoin(cfg.RetryJoin, cfg.RetryInterval, cfg.RetryMax)
		}
	}
	return s, nil
}

// State returns the current state store.
func (s *Server) State() *state.StateStore { return s.fsm.State() }

// IsLeader reports whether this server leads the cluster.
func (s *Server) IsLeader() bool { return s.raft.State() == raft.Leader }

// Leader returns the leader's Raft address, or "" when there is none.
func (s *Server) Leader() string {
	addr, _ := s.raft.LeaderWithID()
	return string(addr)
}

// Peers returns the Raft voters' addresses.
func (s *Server) Peers() []string {
	f := s.raft.GetConfiguration()
	if f.Error() != nil {
		return nil
	}
	var out []string
	for _, srv := range f.Configuration().Servers {
		out = append(out, string(srv.Address))
	}
	return out
}

// WaitForLeader blocks until a leader is known or ctx ends.
func (s *Server) WaitForLeader(ctx context.Context) error {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for s.Leader() == "" {
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for a raft leader: %w", ctx.Err())
		case <-t.C:
		}
	}
	return nil
}

// Stats returns flat statistics for /v1/agent/self.
func (s *Server) Stats() map[string]map[string]string {
	bs := s.broker.Stats()
	return map[string]map[string]string{
		"raft": s.raft.Stats(),
		"nomad": {
			"leader":         fmt.Sprint(s.IsLeader()),
			"known_regions":  "1",
			"bootstrap":      fmt.Sprint(s.config.DevMode),
			"server":         "true",
			"evals_ready":    fmt.Sprint(bs.Ready),
			"evals_unacked":  fmt.Sprint(bs.Unacked),
			"evals_blocked":  fmt.Sprint(s.blocked.Len()),
			"evals_failed":   fmt.Sprint(bs.Failed),
			"heartbeat_ttls": fmt.Sprint(s.heartbeat.count()),
		},
	}
}

// Leave leaves the cluster gracefully: a leader hands leadership to another
// voter first, then the server announces its leave to the pool, so the new
// leader removes it from Raft.
func (s *Server) Leave() error {
	if s.gossip == nil {
		return nil
	}
	if s.IsLeader() && len(s.Peers()) > 1 {
		if err := s.raft.LeadershipTransfer().Error(); err != nil {
			s.logger.Warn("leadership transfer before leaving failed", "error", err)
		}
	}
	return s.gossip.list.Leave(5 * time.Second)
}

// Shutdown stops leader duties and Raft.
func (s *Server) Shutdown() error {
	s.shutdownCancel()
	var errs []error
	if s.raft != nil {
		if err := s.raft.Shutdown().Error(); err != nil {
			errs = append(errs, fmt.Errorf("raft shutdown: %w", err))
		}
	}
	s.wg.Wait()
	errs = append(errs, s.closeAll())
	return errors.Join(errs...)
}

func (s *Server) closeAll() error {
	var errs []error
	if c, ok := s.raftTransport.(interface{ Close() error }); ok {
		errs = append(errs, c.Close())
	}
	for _, c := range s.closers {
		errs = append(errs, c())
	}
	s.closers = nil
	return errors.Join(errs...)
}
