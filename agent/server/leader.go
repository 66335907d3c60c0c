package server

import (
	"context"
	"sync"
	"time"

	"github.com/drover-project/drover/structs"
)

// leaderSink routes committed evals to the leader's broker and blocked-evals
// tracker; both ignore them while disabled (on followers).
type leaderSink struct {
	broker  *EvalBroker
	blocked *BlockedEvals
}

func (l *leaderSink) EvalsCommitted(evals []*structs.Evaluation) {
	for _, e := range evals {
		switch {
		case e.ShouldEnqueue():
			l.broker.Enqueue(e)
		case e.ShouldBlock():
			l.blocked.Block(e)
		case e.Status == structs.EvalStatusComplete:
			l.blocked.Resolved(e)
		}
	}
}

func (l *leaderSink) CapacityChanged() { l.blocked.UnblockAll() }

// monitorLeadership starts leader duties when this server wins an election
// and stops them when it loses leadership.
func (s *Server) monitorLeadership() {
	defer s.wg.Done()
	var duties *leaderDuties
	stop := func() {
		if duties != nil {
			duties.stop()
			s.revokeLeadership()
			duties = nil
		}
	}
	defer stop()
	for {
		select {
		case <-s.shutdownCtx.Done():
			return
		case isLeader := <-s.raft.LeaderCh():
			switch {
			case isLeader && duties == nil:
				s.logger.Info("cluster leadership acquired")
				duties = newLeaderDuties(s.shutdownCtx)
				if err := s.establishLeadership(duties.ctx, &duties.wg); err != nil {
					s.logger.Error("establishing leadership failed; stepping down", "error", err)
					stop()
					_ = s.raft.LeadershipTransfer().Error()
				}
			case !isLeader:
				s.logger.Info("cluster leadership lost")
				stop()
			}
		case errCh := <-s.reassert:
			stop()
			if !s.IsLeader() {
				errCh <- structs.ErrNotLeader
				continue
			}
			duties = newLeaderDuties(s.shutdownCtx)
			err := s.establishLeadership(duties.ctx, &duties.wg)
			if err != nil {
				stop()
			}
			errCh <- err
		}
	}
}

// leaderDuties are the goroutines a leader runs, stopped together.
type leaderDuties struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func newLeaderDuties(parent context.Context) *leaderDuties {
	ctx, cancel := context.WithCancel(parent)
	return &leaderDuties{ctx: ctx, cancel: cancel}
}

func (d *leaderDuties) stop() {
	d.cancel()
	d.wg.Wait()
}

// establishLeadership waits until the FSM has applied everything committed
// before this term, then rebuilds the broker, blocked evals and heartbeat
// timers from state and starts the workers and the plan applier.
func (s *Server) establishLeadership(ctx context.Context, duties *sync.WaitGroup) error {
	if err := s.raft.Barrier(raftApplyTimeout).Error(); err != nil {
		return err
	}
	s.planQueue.SetEnabled(true)
	s.broker.SetEnabled(true)
	s.blocked.SetEnabled(true)

	snap := s.fsm.State().Snapshot()
	evals, err := snap.Evals(nil)
	if err != nil {
		return err
	}
	(&leaderSink{broker: s.broker, blocked: s.blocked}).EvalsCommitted(evals)
	if err := s.heartbeat.initialize(snap); err != nil {
		return err
	}

	start := func(f func(context.Context)) {
		duties.Add(1)
		go func() {
			defer duties.Done()
			f(ctx)
		}()
	}
	start(s.planApplier)
	start(s.reapFailedEvals)
	start(s.cancelSupersededEvals)
	start(s.runDrainer)
	start(s.runAutopilot)
	for i := 0; i < s.config.NumSchedulers; i++ {
		w := &worker{srv: s, logger: s.logger.Named("worker").With("id", i)}
		start(w.run)
	}
	return nil
}

func (s *Server) revokeLeadership() {
	s.broker.SetEnabled(false)
	s.blocked.SetEnabled(false)
	s.planQueue.SetEnabled(false)
	s.heartbeat.clear()
}

// reapFailedEvals marks evals that exhausted their deliveries as failed.
func (s *Server) reapFailedEvals(ctx context.Context) {
	for {
		eval, _, err := s.broker.Dequeue(ctx, []string{failedQueue})
		if err != nil {
			return
		}
		failed := eval.Copy()
		failed.Status = structs.EvalStatusFailed
		failed.StatusDescription = "evaluation reached delivery limit"
		failed.ModifyTime = time.Now().UnixNano()
		if _, err := s.raftApply(structs.EvalUpdateRequestType, &structs.EvalUpdateRequest{Evals: []*structs.Evaluation{failed}}); err != nil {
			s.logger.Error("failed to mark eval failed", "eval", eval.ID, "error", err)
		}
	}
}

// cancelSupersededEvals marks blocked evals that a newer eval made moot as
// canceled, so they do not linger as "blocked" in state.
func (s *Server) cancelSupersededEvals(ctx context.Context) {
	for {
		evals, notify := s.blocked.Superseded()
		if len(evals) > 0 {
			now := time.Now().UnixNano()
			update := make([]*structs.Evaluation, len(evals))
			for i, e := range evals {
				c := e.Copy()
				c.Status = structs.EvalStatusCancelled
				c.StatusDescription = "superseded by a newer evaluation"
				c.ModifyTime = now
				update[i] = c
			}
			if _, err := s.raftApply(structs.EvalUpdateRequestType, &structs.EvalUpdateRequest{Evals: update}); err != nil {
				s.logger.Error("failed to cancel superseded evals", "error", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-notify:
		}
	}
}
