package server

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
)

// testCluster starts n servers on loopback that find each other by gossip
// and bootstrap together, and waits until they agree on a leader. mutate
// adjusts every server's config.
func testCluster(t *testing.T, n int, mutate func(*Config)) []*Server {
	t.Helper()
	serf := make([]string, n)
	for i := range serf {
		serf[i] = freeAddr(t)
	}
	servers := make([]*Server, n)
	for i := range servers {
		cfg := DefaultConfig()
		cfg.NodeName = fmt.Sprintf("s%d", i+1)
		cfg.DataDir = t.TempDir()
		cfg.RaftAddr = "127.0.0.1:0"
		cfg.SerfAddr = serf[i]
		cfg.BootstrapExpect = n
		cfg.RetryJoin = []string{serf[0]}
		cfg.RetryInterval = 100 * time.Millisecond
		cfg.Logger = hclog.New(&hclog.LoggerOptions{Name: cfg.NodeName, Level: hclog.Warn, Output: testWriter{t}})
		if mutate != nil {
			mutate(cfg)
		}
		s, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Shutdown() })
		servers[i] = s
	}
	waitUntil(t, 30*time.Second, func() error {
		leader := servers[0].Leader()
		for _, s := range servers {
			if s.Leader() == "" || s.Leader() != leader {
				return fmt.Errorf("%s sees leader %q, s1 sees %q", s.config.NodeName, s.Leader(), leader)
			}
			if got := len(s.Peers()); got != n {
				return fmt.Errorf("%s has %d raft peers", s.config.NodeName, got)
			}
		}
		if l := leaderOf(servers); l == nil || !l.broker.Enabled() {
			return fmt.Errorf("leader duties not started")
		}
		return nil
	})
	return servers
}

// leaderOf returns the server that leads, nil if none does.
func leaderOf(servers []*Server) *Server {
	for _, s := range servers {
		if s.raft.State() != raft.Shutdown && s.IsLeader() {
			return s
		}
	}
	return nil
}

// followersOf returns the live servers that do not lead.
func followersOf(servers []*Server) []*Server {
	var out []*Server
	for _, s := range servers {
		if s.raft.State() != raft.Shutdown && !s.IsLeader() {
			out = append(out, s)
		}
	}
	return out
}

// freeAddr returns a loopback address with a port that was free a moment
// ago (memberlist needs a fixed port to advertise).
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// raftIDs returns the IDs in s's Raft configuration.
func raftIDs(t *testing.T, s *Server) map[string]bool {
	t.Helper()
	cfg, err := s.RaftConfiguration()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, srv := range cfg.Servers {
		out[srv.ID] = true
	}
	return out
}

// ctxT returns a context that ends with the test or after d.
func ctxT(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
