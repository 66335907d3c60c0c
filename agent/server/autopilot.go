package server

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/hashicorp/raft"

	"github.com/drover-project/drover/structs"
)

// AutopilotConfig configures the leader's autopilot: server health (GET
// /v1/operator/autopilot/health) and the removal of dead servers from Raft.
type AutopilotConfig struct {
	// CleanupDeadServers lets the leader remove from Raft a server whose
	// gossip status has been "failed" for ServerStabilizationTime, as long
	// as a quorum stays (see deadServersToRemove).
	CleanupDeadServers bool
	// ServerStabilizationTime is how long a server must stay failed before
	// it is removed, and how long a health change must last to count.
	ServerStabilizationTime time.Duration
	// LastContactThreshold is how long a follower may go without hearing
	// from the leader and still be healthy.
	LastContactThreshold time.Duration
	// MaxTrailingLogs is how many log entries a follower may lag behind the
	// leader and still be healthy.
	MaxTrailingLogs uint64
	// Interval is how often the leader checks the servers.
	Interval time.Duration
}

// DefaultAutopilotConfig returns Nomad's defaults.
func DefaultAutopilotConfig() AutopilotConfig {
	return AutopilotConfig{
		CleanupDeadServers:      true,
		ServerStabilizationTime: 10 * time.Second,
		LastContactThreshold:    200 * time.Millisecond,
		MaxTrailingLogs:         250,
		Interval:                time.Second,
	}
}

func (c AutopilotConfig) validate() error {
	if c.ServerStabilizationTime <= 0 || c.LastContactThreshold <= 0 || c.Interval <= 0 {
		return fmt.Errorf("server: autopilot durations must be positive (server_stabilization_time %s, last_contact_threshold %s, interval %s)",
			c.ServerStabilizationTime, c.LastContactThreshold, c.Interval)
	}
	return nil
}

// autopilotState is what the leader's autopilot remembers between checks.
// The zero value is ready; it is reset when leadership is (re)gained.
type autopilotState struct {
	mu sync.Mutex
	// health is the latest check's result, nil before the first.
	health *structs.OperatorHealthReply
	// stable tracks when each server's Healthy value last changed.
	stable map[string]stableHealth
	// failedSince is when each Raft server was first seen failed in gossip.
	failedSince map[string]time.Time
}

type stableHealth struct {
	healthy bool
	since   time.Time
}

// runAutopilot is a leader duty: every Interval it checks the servers'
// health and removes dead servers.
func (s *Server) runAutopilot(ctx context.Context) {
	s.autopilot.mu.Lock()
	s.autopilot.health, s.autopilot.stable, s.autopilot.failedSince = nil, map[string]stableHealth{}, map[string]time.Time{}
	s.autopilot.mu.Unlock()
	t := time.NewTicker(s.config.Autopilot.Interval)
	defer t.Stop()
	for {
		if _, err := s.checkServers(ctx); err != nil && ctx.Err() == nil {
			s.logger.Warn("autopilot check failed", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// checkServers computes the servers' health, records it, and removes dead
// servers when cleanup is on.
func (s *Server) checkServers(ctx context.Context) (*structs.OperatorHealthReply, error) {
	f := s.raft.GetConfiguration()
	if err := f.Error(); err != nil {
		return nil, fmt.Errorf("reading the raft configuration: %w", err)
	}
	servers := f.Configuration().Servers
	status := s.serfStatuses()
	now := time.Now()
	reply := s.healthOf(ctx, servers, status, now)

	s.autopilot.mu.Lock()
	s.autopilot.health = reply
	var remove []string
	if s.config.Autopilot.CleanupDeadServers && s.gossip != nil {
		var voters []string
		for _, srv := range servers {
			id := string(srv.ID)
			if srv.Suffrage == raft.Voter {
				voters = append(voters, id)
			}
			if status[id] == "failed" {
				if _, ok := s.autopilot.failedSince[id]; !ok {
					s.autopilot.failedSince[id] = now
				}
			} else {
				delete(s.autopilot.failedSince, id)
			}
		}
		remove = deadServersToRemove(deadServerInput{
			voters: voters, status: status, failedSince: s.autopilot.failedSince, now: now,
			stabilization: s.config.Autopilot.ServerStabilizationTime, self: s.config.NodeName,
			bootstrapExpect: s.config.BootstrapExpect,
		})
	}
	s.autopilot.mu.Unlock()

	var errs []error
	for _, id := range remove {
		s.logger.Info("autopilot removing dead server from raft", "server", id)
		if err := s.raft.RemoveServer(raft.ServerID(id), 0, raftApplyTimeout).Error(); err != nil {
			errs = append(errs, fmt.Errorf("removing dead server %s: %w", id, err))
		}
	}
	return reply, errors.Join(errs...)
}

// serfStatuses returns each known server's gossip status by name; this
// server is always "alive". Without gossip (dev) only this server is known.
func (s *Server) serfStatuses() map[string]string {
	out := map[string]string{}
	for _, m := range s.Members() {
		out[m.Name] = m.Status
	}
	out[s.config.NodeName] = "alive"
	return out
}

// deadServerInput is what deadServersToRemove decides on.
type deadServerInput struct {
	voters          []string
	status          map[string]string
	failedSince     map[string]time.Time
	now             time.Time
	stabilization   time.Duration
	self            string
	bootstrapExpect int
}

// deadServersToRemove picks the voters that have been failed for at least
// the stabilization time and may be removed safely: nothing is removed
// unless a quorum of the current voters is alive, and removals stop before
// the voters left would be fewer than a quorum of the current voters or of
// bootstrap_expect. The leader (self) is never picked.
func deadServersToRemove(in deadServerInput) []string {
	quorum := func(n int) int { return n/2 + 1 }
	alive := 0
	var dead []string
	for _, id := range in.voters {
		switch {
		case in.status[id] == "alive":
			alive++
		case id != in.self && in.status[id] == "failed":
			if since, ok := in.failedSince[id]; ok && in.now.Sub(since) >= in.stabilization {
				dead = append(dead, id)
			}
		}
	}
	n := len(in.voters)
	if alive < quorum(n) {
		return nil
	}
	floor := max(quorum(n), quorum(in.bootstrapExpect))
	sort.Strings(dead)
	var out []string
	for _, id := range dead {
		if n-len(out)-1 < floor {
			break
		}
		out = append(out, id)
	}
	return out
}

// AutopilotHealth returns the servers' health as the leader last saw it
// (a follower asks the leader).
func (s *Server) AutopilotHealth(ctx context.Context) (*structs.OperatorHealthReply, error) {
	var reply structs.OperatorHealthReply
	if fwd, err := s.forward(ctx, "Operator.AutopilotHealth", &EmptyRPCRequest{}, &reply); fwd {
		if err != nil {
			return nil, err
		}
		return &reply, nil
	}
	s.autopilot.mu.Lock()
	h := s.autopilot.health
	s.autopilot.mu.Unlock()
	if h != nil {
		return h, nil
	}
	return s.checkHealthOnly(ctx) // just elected: no check has run yet
}

// checkHealthOnly computes health without recording it or removing servers.
func (s *Server) checkHealthOnly(ctx context.Context) (*structs.OperatorHealthReply, error) {
	f := s.raft.GetConfiguration()
	if err := f.Error(); err != nil {
		return nil, fmt.Errorf("reading the raft configuration: %w", err)
	}
	return s.healthOf(ctx, f.Configuration().Servers, s.serfStatuses(), time.Now()), nil
}

// RaftStats is one server's Raft progress, asked for by the leader.
type RaftStats struct {
	LastIndex uint64
	LastTerm  uint64
	// LastContact is how long ago this server heard from the leader; -1
	// when it never has.
	LastContact time.Duration
}

// localRaftStats reads this server's Raft progress.
func (s *Server) localRaftStats() RaftStats {
	st := s.raft.Stats()
	out := RaftStats{}
	out.LastIndex, _ = strconv.ParseUint(st["last_log_index"], 10, 64)
	out.LastTerm, _ = strconv.ParseUint(st["last_log_term"], 10, 64)
	switch lc := st["last_contact"]; lc {
	case "never":
		out.LastContact = -1
	default:
		d, err := time.ParseDuration(lc)
		if err != nil {
			d = -1
		}
		out.LastContact = d
	}
	return out
}

// statsTimeout bounds the leader's wait for one server's Raft stats.
const statsTimeout = time.Second

// healthOf checks every Raft server: a server is healthy when gossip sees
// it alive, it answers, it heard from the leader within
// LastContactThreshold and it trails the leader's log by at most
// MaxTrailingLogs entries.
func (s *Server) healthOf(ctx context.Context, servers []raft.Server, status map[string]string, now time.Time) *structs.OperatorHealthReply {
	conf := s.config.Autopilot
	_, leaderID := s.raft.LeaderWithID()
	self := s.localRaftStats()
	builds := map[string]string{}
	for _, m := range s.Members() {
		builds[m.Name] = m.Build
	}
	builds[s.config.NodeName] = s.config.Build

	health := make([]structs.ServerHealth, len(servers))
	var wg sync.WaitGroup
	for i, srv := range servers {
		id := string(srv.ID)
		h := &health[i]
		*h = structs.ServerHealth{
			ID: id, Name: id, Address: string(srv.Address), SerfStatus: status[id], Version: builds[id],
			Leader: srv.ID == leaderID, Voter: srv.Suffrage == raft.Voter,
		}
		if h.SerfStatus == "" {
			h.SerfStatus = "none"
		}
		if id == s.config.NodeName {
			h.LastIndex, h.LastTerm, h.LastContact = self.LastIndex, self.LastTerm, 0
			h.Healthy = true
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, err := s.remoteRaftStats(ctx, string(srv.Address))
			if err != nil {
				s.logger.Debug("autopilot could not reach server", "server", id, "error", err)
				return
			}
			h.LastIndex, h.LastTerm, h.LastContact = st.LastIndex, st.LastTerm, st.LastContact
			h.Healthy = h.SerfStatus == "alive" && st.LastContact >= 0 && st.LastContact <= conf.LastContactThreshold &&
				st.LastIndex+conf.MaxTrailingLogs >= self.LastIndex
		}()
	}
	wg.Wait()

	reply := &structs.OperatorHealthReply{Healthy: true, Servers: health, Leader: string(leaderID), Voters: []string{}}
	healthyVoters := 0
	s.autopilot.mu.Lock()
	if s.autopilot.stable == nil {
		s.autopilot.stable = map[string]stableHealth{}
	}
	for i := range health {
		h := &health[i]
		prev, ok := s.autopilot.stable[h.ID]
		if !ok || prev.healthy != h.Healthy {
			prev = stableHealth{healthy: h.Healthy, since: now}
			s.autopilot.stable[h.ID] = prev
		}
		h.StableSince = prev.since
		if !h.Healthy {
			reply.Healthy = false
		}
		if h.Voter {
			reply.Voters = append(reply.Voters, h.ID)
			if h.Healthy {
				healthyVoters++
			}
		}
	}
	s.autopilot.mu.Unlock()
	reply.FailureTolerance = max(0, healthyVoters-(len(reply.Voters)/2+1))
	return reply
}

// remoteRaftStats asks the server at its RPC address for its Raft stats.
func (s *Server) remoteRaftStats(ctx context.Context, addr string) (RaftStats, error) {
	ctx, cancel := context.WithTimeout(ctx, statsTimeout)
	defer cancel()
	conn, err := s.fwd.conn(addr, s)
	if err != nil {
		return RaftStats{}, err
	}
	var out RaftStats
	if err := conn.Call(ctx, "Operator.RaftStats", &EmptyRPCRequest{}, &out); err != nil {
		return RaftStats{}, fmt.Errorf("raft stats from %s: %w", addr, err)
	}
	return out, nil
}
