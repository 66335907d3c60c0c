package client

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/driver/mock"
	"github.com/drover-project/drover/driver/rawexec"
	"github.com/drover-project/drover/structs"
)

// fakeServer is an in-memory ServerAPI that behaves like the real one
// closely enough for the client: a node table, allocations with indexes,
// blocking queries and client status updates.
type fakeServer struct {
	mu         sync.Mutex
	ttl        time.Duration
	nodes      map[string]*structs.Node
	registers  int
	heartbeats int
	// forgetNodeAfter makes the server forget every node after that many
	// heartbeats (as after a server state loss); 0 never forgets.
	forgetNodeAfter int
	// failUpdates fails that many UpdateAllocs calls.
	failUpdates int

	index   uint64
	allocs  map[string]*structs.Allocation
	changed chan struct{} // closed and replaced on every change
	updates [][]*structs.Allocation
}

func newFakeServer() *fakeServer {
	return &fakeServer{
		ttl: time.Minute, nodes: map[string]*structs.Node{},
		allocs: map[string]*structs.Allocation{}, changed: make(chan struct{}), index: 1,
	}
}

func (s *fakeServer) bumpLocked() {
	s.index++
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *fakeServer) RegisterNode(ctx context.Context, n *structs.Node) (time.Duration, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.registers++
	s.nodes[n.ID] = n.Copy()
	return s.ttl, nil
}

func (s *fakeServer) Heartbeat(ctx context.Context, nodeID string) (time.Duration, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.heartbeats++
	if s.forgetNodeAfter > 0 && s.heartbeats%s.forgetNodeAfter == 0 {
		s.nodes = map[string]*structs.Node{}
	}
	if _, ok := s.nodes[nodeID]; !ok {
		return 0, fmt.Errorf("heartbeat of %s: %w", nodeID, structs.ErrUnknownNode)
	}
	return s.ttl, nil
}

func (s *fakeServer) NodeAllocs(ctx context.Context, nodeID string, minIndex uint64) ([]*structs.Allocation, uint64, error) {
	for {
		s.mu.Lock()
		if s.index > minIndex {
			var out []*structs.Allocation
			for _, a := range s.allocs {
				if a.NodeID == nodeID {
					out = append(out, a.Copy())
				}
			}
			idx := s.index
			s.mu.Unlock()
			return out, idx, nil
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		case <-ch:
		}
	}
}

func (s *fakeServer) UpdateAllocs(ctx context.Context, allocs []*structs.Allocation) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failUpdates > 0 {
		s.failUpdates--
		return errors.New("update failed on purpose")
	}
	batch := make([]*structs.Allocation, len(allocs))
	for i, u := range allocs {
		batch[i] = u.Copy()
		if a, ok := s.allocs[u.ID]; ok {
			a = a.Copy()
			a.ClientStatus, a.ClientDescription, a.TaskStates = u.ClientStatus, u.ClientDescription, u.TaskStates
			a.ModifyIndex = s.index + 1
			s.allocs[u.ID] = a
		}
	}
	s.updates = append(s.updates, batch)
	s.bumpLocked()
	return nil
}

// place stores a new or updated allocation, as a plan would.
func (s *fakeServer) place(a *structs.Allocation) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a = a.Copy()
	a.AllocModifyIndex = s.index + 1
	a.ModifyIndex = s.index + 1
	s.allocs[a.ID] = a
	s.bumpLocked()
}

// stop marks an allocation for stopping, as a plan would.
func (s *fakeServer) stop(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.allocs[id].Copy()
	a.DesiredStatus = structs.AllocDesiredStatusStop
	a.AllocModifyIndex = s.index + 1
	s.allocs[id] = a
	s.bumpLocked()
}

// remove garbage collects an allocation.
func (s *fakeServer) remove(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.allocs, id)
	s.bumpLocked()
}

func (s *fakeServer) alloc(id string) *structs.Allocation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.allocs[id].Copy()
}

// statuses returns every client status reported for an allocation, in order.
func (s *fakeServer) statuses(id string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, b := range s.updates {
		for _, a := range b {
			if a.ID == id && (len(out) == 0 || out[len(out)-1] != a.ClientStatus) {
				out = append(out, a.ClientStatus)
			}
		}
	}
	return out
}

func (s *fakeServer) counts() (registers, heartbeats, updates int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.registers, s.heartbeats, len(s.updates)
}

// testClient runs a client against srv with fast intervals, stopping its
// tasks on shutdown.
func testClient(t *testing.T, srv ServerAPI, mutate func(*Config)) *Client {
	t.Helper()
	cfg := &Config{
		DataDir: t.TempDir(),
		Drivers: map[string]driver.Driver{
			mock.Name:    mock.New(),
			rawexec.Name: rawexec.New(nil),
		},
		Servers:             srv,
		Logger:              hclog.New(&hclog.LoggerOptions{Name: t.Name(), Level: hclog.Error}),
		Version:             "0.1.0",
		NetworkIP:           "10.1.2.3",
		StopTasksOnShutdown: true,
		UpdateInterval:      20 * time.Millisecond,
		RetryInterval:       10 * time.Millisecond,
		MaxRetryInterval:    50 * time.Millisecond,
	}
	if mutate != nil {
		mutate(cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.Run(ctx)
	}()
	t.Cleanup(func() {
		_ = c.Shutdown()
		cancel()
		<-done
	})
	return c
}

// waitFor polls cond until it holds or fails the test after 10s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func eventTypes(st *structs.TaskState) []string {
	if st == nil {
		return nil
	}
	out := make([]string, len(st.Events))
	for i, ev := range st.Events {
		out[i] = ev.Type
	}
	return out
}

// updatesOf returns every update the client sent for an allocation, in order.
func (s *fakeServer) updatesOf(id string) []*structs.Allocation {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*structs.Allocation
	for _, batch := range s.updates {
		for _, a := range batch {
			if a.ID == id {
				out = append(out, a)
			}
		}
	}
	return out
}
