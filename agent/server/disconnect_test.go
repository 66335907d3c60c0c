package server

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

// heartbeatWhile heartbeats node every 30ms while alive() is true and until
// stop is closed.
func heartbeatWhile(t *testing.T, s *Server, nodeID string, alive func() bool, stop <-chan struct{}) {
	done := make(chan struct{})
	t.Cleanup(func() { <-done })
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			case <-time.After(30 * time.Millisecond):
				if alive() {
					_, _ = s.Heartbeat(context.Background(), nodeID)
				}
			}
		}
	}()
}

// TestServer_DisconnectedThenReconnected: a node with an allocation of a
// group with disconnect { lost_after } misses its heartbeat; it becomes
// disconnected (not down), the allocation unknown and not replaced
// (replace = false). When the node heartbeats again it is ready and the
// allocation runs again, still without a replacement. Silent for longer
// than lost_after, the allocation is lost and replaced.
func TestServer_DisconnectedThenReconnected(t *testing.T) {
	s := testServer(t, func(c *Config) {
		c.MinHeartbeatTTL = 100 * time.Millisecond
		c.HeartbeatGrace = 50 * time.Millisecond
	})
	ctx := context.Background()
	stop := make(chan struct{})
	defer close(stop)
	n1, n2 := mock.Node(), mock.Node()
	if _, err := s.RegisterNode(ctx, n1); err != nil {
		t.Fatal(err)
	}
	job := mock.Job()
	job.TaskGroups[0].Count = 1
	const lostAfter = 1500 * time.Millisecond
	no := false
	job.TaskGroups[0].Disconnect = &structs.DisconnectStrategy{LostAfter: lostAfter, Replace: &no,
		Reconcile: structs.ReconcileKeepOriginal}
	if _, err := s.RegisterJob(ctx, &structs.JobRegisterHTTPRequest{Job: job}); err != nil {
		t.Fatal(err)
	}
	var orig *structs.Allocation
	waitUntil(t, 5*time.Second, func() error {
		live := liveAllocs(s, job)
		if len(live) != 1 {
			return fmt.Errorf("%d allocs", len(live))
		}
		orig = live[0]
		return nil
	})
	if err := s.UpdateAllocs(ctx, []*structs.Allocation{{ID: orig.ID, ClientStatus: structs.AllocClientStatusRunning}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RegisterNode(ctx, n2); err != nil {
		t.Fatal(err)
	}
	heartbeatWhile(t, s, n2.ID, func() bool { return true }, stop)
	var n1Alive atomic.Bool
	heartbeatWhile(t, s, n1.ID, n1Alive.Load, stop)

	status := func(id string) string {
		n, _ := s.State().NodeByID(nil, id)
		return n.Status
	}
	waitUntil(t, 5*time.Second, func() error {
		if st := status(n1.ID); st != structs.NodeStatusDisconnected {
			return fmt.Errorf("n1 is %s", st)
		}
		a, _ := s.State().AllocByID(nil, orig.ID)
		if a.ClientStatus != structs.AllocClientStatusUnknown {
			return fmt.Errorf("alloc is %s", a.ClientStatus)
		}
		return nil
	})
	// Give the scheduler time to act on the node-update eval: it must not
	// replace the allocation.
	time.Sleep(200 * time.Millisecond)
	if live := liveAllocs(s, job); len(live) != 1 || live[0].ID != orig.ID {
		t.Fatalf("unknown alloc was replaced: %d live", len(live))
	}

	// The node is back within lost_after.
	n1Alive.Store(true)
	waitUntil(t, 5*time.Second, func() error {
		if st := status(n1.ID); st != structs.NodeStatusReady {
			return fmt.Errorf("n1 is %s", st)
		}
		a, _ := s.State().AllocByID(nil, orig.ID)
		if a.ClientStatus != structs.AllocClientStatusRunning {
			return fmt.Errorf("alloc is %s", a.ClientStatus)
		}
		return nil
	})
	time.Sleep(200 * time.Millisecond)
	if live := liveAllocs(s, job); len(live) != 1 || live[0].ID != orig.ID {
		t.Fatalf("after reconnecting: %d live allocs", len(live))
	}

	// Silent for longer than lost_after: lost and replaced on n2.
	n1Alive.Store(false)
	silent := time.Now()
	waitUntil(t, lostAfter+5*time.Second, func() error {
		a, _ := s.State().AllocByID(nil, orig.ID)
		if a.ClientStatus != structs.AllocClientStatusLost {
			return fmt.Errorf("alloc is %s", a.ClientStatus)
		}
		live := liveAllocs(s, job)
		if len(live) != 1 || live[0].NodeID != n2.ID {
			return fmt.Errorf("not replaced on n2: %d live", len(live))
		}
		return nil
	})
	if since := time.Since(silent); since < lostAfter {
		t.Fatalf("lost after %s, before lost_after %s", since, lostAfter)
	}
	if st := status(n1.ID); st != structs.NodeStatusDown {
		t.Fatalf("n1 is %s after lost_after, want down", st)
	}
}

// TestServer_ReconnectKeepsOriginal: with replace = true the unknown
// allocation is replaced while its node is away; when the node returns,
// keep_original stops the replacement.
func TestServer_ReconnectKeepsOriginal(t *testing.T) {
	s := testServer(t, func(c *Config) {
		c.MinHeartbeatTTL = 100 * time.Millisecond
		c.HeartbeatGrace = 50 * time.Millisecond
	})
	ctx := context.Background()
	stop := make(chan struct{})
	defer close(stop)
	n1, n2 := mock.Node(), mock.Node()
	if _, err := s.RegisterNode(ctx, n1); err != nil {
		t.Fatal(err)
	}
	job := mock.Job()
	job.TaskGroups[0].Count = 1
	yes := true
	job.TaskGroups[0].Disconnect = &structs.DisconnectStrategy{LostAfter: time.Minute, Replace: &yes,
		Reconcile: structs.ReconcileKeepOriginal}
	if _, err := s.RegisterJob(ctx, &structs.JobRegisterHTTPRequest{Job: job}); err != nil {
		t.Fatal(err)
	}
	var orig *structs.Allocation
	waitUntil(t, 5*time.Second, func() error {
		if live := liveAllocs(s, job); len(live) == 1 {
			orig = live[0]
			return nil
		}
		return fmt.Errorf("not placed")
	})
	if _, err := s.RegisterNode(ctx, n2); err != nil {
		t.Fatal(err)
	}
	heartbeatWhile(t, s, n2.ID, func() bool { return true }, stop)
	var repl *structs.Allocation
	waitUntil(t, 5*time.Second, func() error {
		for _, a := range liveAllocs(s, job) {
			if a.NodeID == n2.ID && a.PreviousAllocation == orig.ID {
				repl = a
				return nil
			}
		}
		return fmt.Errorf("no replacement on n2")
	})
	if a, _ := s.State().AllocByID(nil, orig.ID); a.TerminalStatus() || a.ClientStatus != structs.AllocClientStatusUnknown {
		t.Fatalf("original: desired %s client %s", a.DesiredStatus, a.ClientStatus)
	}
	if _, err := s.Heartbeat(ctx, n1.ID); err != nil {
		t.Fatal(err)
	}
	heartbeatWhile(t, s, n1.ID, func() bool { return true }, stop)
	waitUntil(t, 5*time.Second, func() error {
		live := liveAllocs(s, job)
		if len(live) != 1 || live[0].ID != orig.ID {
			return fmt.Errorf("%d live", len(live))
		}
		return nil
	})
	if a, _ := s.State().AllocByID(nil, repl.ID); a.DesiredStatus != structs.AllocDesiredStatusStop {
		t.Fatalf("replacement is %s", a.DesiredStatus)
	}
}
