package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/hashicorp/memberlist"
)

// ServerMember is a server as seen through gossip.
type ServerMember struct {
	Name       string
	Addr       string
	Port       uint16
	Region     string
	Datacenter string
	// RaftAddr is the server's RPC port (Raft shares it).
	RaftAddr string
	Build    string
	Expect   int
	Status   string
}

// memberMeta is what each server gossips about itself.
type memberMeta struct {
	Region     string `json:"region"`
	Datacenter string `json:"dc"`
	RaftAddr   string `json:"raft"`
	Build      string `json:"build"`
	Expect     int    `json:"expect"`
}

// gossip is the servers' LAN pool: it tells every server who the others
// are, so the cluster can bootstrap once bootstrap_expect servers know each
// other and the leader can add joiners as Raft voters.
type gossip struct {
	srv  *Server
	list *memberlist.Memberlist
	meta []byte

	mu      sync.Mutex
	members map[string]*ServerMember
	changed chan struct{}
}

// setupGossip starts memberlist on the configured serf address.
func (s *Server) setupGossip() error {
	host, portStr, err := net.SplitHostPort(s.config.SerfAddr)
	if err != nil {
		return fmt.Errorf("serf address %q: %w", s.config.SerfAddr, err)
	}
	port, _ := strconv.Atoi(portStr)
	meta, err := json.Marshal(memberMeta{Region: s.config.Region, Datacenter: s.config.Datacenter,
		RaftAddr: s.rpcListener.raft.Addr().String(), Build: s.config.Build, Expect: s.config.BootstrapExpect})
	if err != nil {
		return err
	}
	g := &gossip{srv: s, meta: meta, members: map[string]*ServerMember{}, changed: make(chan struct{}, 1)}
	conf := memberlist.DefaultLANConfig()
	conf.Name = s.config.NodeName
	conf.BindAddr, conf.BindPort = host, port
	conf.AdvertisePort = port
	if s.config.SerfAdvertise != "" {
		ahost, aport, err := net.SplitHostPort(s.config.SerfAdvertise)
		if err != nil {
			return fmt.Errorf("serf advertise address %q: %w", s.config.SerfAdvertise, err)
		}
		conf.AdvertiseAddr = ahost
		conf.AdvertisePort, _ = strconv.Atoi(aport)
	}
	conf.SecretKey = s.config.GossipKey
	conf.Delegate = g
	conf.Events = g
	conf.Logger = s.logger.Named("gossip").StandardLogger(nil)
	list, err := memberlist.Create(conf)
	if err != nil {
		return fmt.Errorf("starting gossip on %s: %w", s.config.SerfAddr, err)
	}
	g.list = list
	s.gossip = g
	s.closers = append(s.closers, func() error { return list.Shutdown() })
	s.wg.Add(1)
	go s.watchMembers()
	return nil
}

// NodeMeta implements memberlist.Delegate.
func (g *gossip) NodeMeta(limit int) []byte { return g.meta }

// NotifyMsg implements memberlist.Delegate (no user messages).
func (g *gossip) NotifyMsg([]byte) {}

// GetBroadcasts implements memberlist.Delegate.
func (g *gossip) GetBroadcasts(overhead, limit int) [][]byte { return nil }

// LocalState implements memberlist.Delegate.
func (g *gossip) LocalState(join bool) []byte { return nil }

// MergeRemoteState implements memberlist.Delegate.
func (g *gossip) MergeRemoteState(buf []byte, join bool) {}

// NotifyJoin implements memberlist.EventDelegate.
func (g *gossip) NotifyJoin(n *memberlist.Node) { g.upsert(n, "alive") }

// NotifyUpdate implements memberlist.EventDelegate.
func (g *gossip) NotifyUpdate(n *memberlist.Node) { g.upsert(n, "alive") }

// NotifyLeave implements memberlist.EventDelegate. memberlist reports both a
// graceful leave and a failure as a leave; the state tells them apart.
func (g *gossip) NotifyLeave(n *memberlist.Node) {
	status := "failed"
	if n.State == memberlist.StateLeft {
		status = "left"
	}
	g.upsert(n, status)
}

func (g *gossip) upsert(n *memberlist.Node, status string) {
	var m memberMeta
	if err := json.Unmarshal(n.Meta, &m); err != nil {
		g.srv.logger.Warn("ignoring gossip member with unreadable metadata", "member", n.Name, "error", err)
		return
	}
	g.mu.Lock()
	g.members[n.Name] = &ServerMember{Name: n.Name, Addr: n.Addr.String(), Port: n.Port, Region: m.Region,
		Datacenter: m.Datacenter, RaftAddr: m.RaftAddr, Build: m.Build, Expect: m.Expect, Status: status}
	g.mu.Unlock()
	select {
	case g.changed <- struct{}{}:
	default:
	}
}

// snapshot returns the known members.
func (g *gossip) snapshot() []*ServerMember {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]*ServerMember, 0, len(g.members))
	for _, m := range g.members {
		c := *m
		out = append(out, &c)
	}
	return out
}

// Members returns the servers this server knows through gossip.
func (s *Server) Members() []*ServerMember {
	if s.gossip == nil {
		return nil
	}
	return s.gossip.snapshot()
}

// Join contacts servers at addrs (their serf address) and joins their pool.
func (s *Server) Join(addrs []string) (int, error) {
	if s.gossip == nil {
		return 0, errors.New("this server runs no gossip (dev mode)")
	}
	n, err := s.gossip.list.Join(addrs)
	if err != nil {
		return n, fmt.Errorf("joining %v: %w", addrs, err)
	}
	return n, nil
}

// retryJoin joins addrs, retrying every interval up to max attempts
// (0 = forever) until one answers.
func (s *Server) retryJoin(addrs []string, interval time.Duration, max int) {
	defer s.wg.Done()
	for attempt := 1; ; attempt++ {
		n, err := s.Join(addrs)
		if err == nil {
			s.logger.Info("joined the server pool", "contacted", n)
			return
		}
		if max > 0 && attempt >= max {
			s.logger.Error("giving up joining the server pool", "attempts", attempt, "error", err)
			return
		}
		s.logger.Warn("joining the server pool failed; retrying", "error", err, "retry_in", interval)
		select {
		case <-s.shutdownCtx.Done():
			return
		case <-time.After(interval):
		}
	}
}

// watchMembers reacts to membership changes: bootstrap when enough servers
// are known, and on the leader keep Raft's voters in step with the pool.
func (s *Server) watchMembers() {
	defer s.wg.Done()
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-s.shutdownCtx.Done():
			return
		case <-s.gossip.changed:
		case <-tick.C:
		}
		s.maybeBootstrap()
		if s.IsLeader() {
			s.reconcileVoters()
		}
	}
}

// maybeBootstrap bootstraps Raft with every alive server of the region once
// bootstrap_expect of them know each other. Every server does the same with
// the same configuration; Raft accepts identical bootstraps.
func (s *Server) maybeBootstrap() {
	if s.config.BootstrapExpect < 2 || s.bootstrapped.Load() {
		return
	}
	var voters []raftServer
	for _, m := range s.Members() {
		if m.Status != "alive" || m.Region != s.config.Region {
			continue
		}
		if m.Expect != 0 && m.Expect != s.config.BootstrapExpect {
			s.logger.Error("servers disagree on bootstrap_expect; not bootstrapping", "member", m.Name, "theirs", m.Expect, "ours", s.config.BootstrapExpect)
			return
		}
		voters = append(voters, raftServer{id: m.Name, addr: m.RaftAddr})
	}
	if len(voters) < s.config.BootstrapExpect {
		return
	}
	if err := s.bootstrapRaft(voters); err != nil {
		s.logger.Error("raft bootstrap failed", "error", err)
		return
	}
	s.logger.Info("cluster bootstrapped", "servers", len(voters))
}

// reconcileVoters adds alive pool members missing from Raft and removes
// members that left gracefully.
func (s *Server) reconcileVoters() {
	f := s.raft.GetConfiguration()
	if err := f.Error(); err != nil {
		return
	}
	inRaft := map[string]bool{}
	for _, srv := range f.Configuration().Servers {
		inRaft[string(srv.ID)] = true
	}
	for _, m := range s.Members() {
		if m.Region != s.config.Region {
			continue
		}
		switch {
		case m.Status == "alive" && !inRaft[m.Name]:
			s.logger.Info("adding server as a raft voter", "server", m.Name, "addr", m.RaftAddr)
			if err := s.addVoter(m.Name, m.RaftAddr); err != nil {
				s.logger.Error("adding raft voter failed", "server", m.Name, "error", err)
			}
		case m.Status == "left" && inRaft[m.Name] && m.Name != s.config.NodeName:
			s.logger.Info("removing server that left", "server", m.Name)
			if err := s.removeServer(m.Name); err != nil {
				s.logger.Error("removing raft server failed", "server", m.Name, "error", err)
			}
		}
	}
}
