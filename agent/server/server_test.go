package server

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

func testServer(t *testing.T, mutate func(*Config)) *Server {
	t.Helper()
	cfg := DefaultConfig()
	cfg.DevMode = true
	cfg.NodeName = "test-" + t.Name()
	cfg.Logger = hclog.New(&hclog.LoggerOptions{Level: hclog.Warn, Output: testWriter{t}})
	if mutate != nil {
		mutate(cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Shutdown() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.WaitForLeader(ctx); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 5*time.Second, func() error {
		if !s.broker.Enabled() {
			return fmt.Errorf("leader duties not started")
		}
		return nil
	})
	return s
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(p))
	return len(p), nil
}

func waitUntil(t *testing.T, timeout time.Duration, fn func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var err error
	for time.Now().Before(deadline) {
		if err = fn(); err == nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("not true after %s: %v", timeout, err)
}

func liveAllocs(s *Server, job *structs.Job) []*structs.Allocation {
	allocs, _ := s.State().AllocsByJob(nil, job.Namespace, job.ID)
	var out []*structs.Allocation
	for _, a := range allocs {
		if !a.TerminalStatus() {
			out = append(out, a)
		}
	}
	return out
}

func TestServer_RegisterScheduleStop(t *testing.T) {
	s := testServer(t, nil)
	ctx := context.Background()
	node := mock.Node()
	if _, err := s.RegisterNode(ctx, node); err != nil {
		t.Fatal(err)
	}
	job := mock.Job()
	resp, err := s.RegisterJob(ctx, &structs.JobRegisterHTTPRequest{Job: job})
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 5*time.Second, func() error {
		e, _ := s.State().EvalByID(nil, resp.EvalID)
		if e == nil || e.Status != structs.EvalStatusComplete {
			return fmt.Errorf("eval %+v", e)
		}
		if n := len(liveAllocs(s, job)); n != 2 {
			return fmt.Errorf("%d allocs", n)
		}
		return nil
	})

	// The client reports them running; the job is running.
	var updates []*structs.Allocation
	for _, a := range liveAllocs(s, job) {
		updates = append(updates, &structs.Allocation{ID: a.ID, NodeID: a.NodeID, ClientStatus: structs.AllocClientStatusRunning})
	}
	if err := s.UpdateAllocs(ctx, updates); err != nil {
		t.Fatal(err)
	}
	if j, _ := s.State().JobByID(nil, job.Namespace, job.ID); j.Status != structs.JobStatusRunning {
		t.Fatalf("job status %q", j.Status)
	}

	if _, err := s.DeregisterJob(ctx, job.Namespace, job.ID, false); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 5*time.Second, func() error {
		if n := len(liveAllocs(s, job)); n != 0 {
			return fmt.Errorf("%d allocs still live", n)
		}
		return nil
	})
	if _, err := s.DeregisterJob(ctx, job.Namespace, "nope", false); err == nil {
		t.Fatal("deregistering an unknown job must fail")
	}
}

func TestServer_RejectsBadJobsWithoutChangingState(t *testing.T) {
	s := testServer(t, func(c *Config) {
		c.Drivers = map[string]DriverValidator{"mock": acceptAll{}}
	})
	before := s.State().LatestIndex()
	bad := []func(*structs.Job){
		func(j *structs.Job) { j.TaskGroups[0].Tasks[0].Driver = "dockerr" },
		func(j *structs.Job) { j.TaskGroups[0].Count = -1 },
		func(j *structs.Job) { j.Type = "weird" },
		func(j *structs.Job) { j.TaskGroups[0].Tasks[0].Resources.MemoryMB = -5 },
		func(j *structs.Job) {
			j.Constraints = []*structs.Constraint{{LTarget: "${attr.x}", Operand: "~~", RTarget: "y"}}
		},
		func(j *structs.Job) { j.ID = "has space" },
		func(j *structs.Job) {
			j.TaskGroups[0].Tasks[0].Lifecycle = &structs.TaskLifecycleConfig{Hook: "sometimes"}
		},
	}
	for i, mutate := range bad {
		job := mock.Job()
		mutate(job)
		_, err := s.RegisterJob(context.Background(), &structs.JobRegisterHTTPRequest{Job: job})
		if code, ok := structs.ErrorCode(err); !ok || code != 400 {
			t.Errorf("case %d: want a 400 error, got %v", i, err)
		}
	}
	if after := s.State().LatestIndex(); after != before {
		t.Fatalf("state changed by rejected jobs: %d -> %d", before, after)
	}
}

type acceptAll struct{}

func (acceptAll) ValidateConfig(map[string]interface{}) error { return nil }

// TestServer_ConcurrentJobsNeverOvercommit registers many jobs at once on a
// small cluster: workers race, the plan applier must keep every node within
// capacity, and what does not fit stays queued.
func TestServer_ConcurrentJobsNeverOvercommit(t *testing.T) {
	s := testServer(t, func(c *Config) { c.NumSchedulers = 4 })
	ctx := context.Background()
	var nodes []*structs.Node
	for i := 0; i < 3; i++ {
		n := mock.Node()
		n.NodeResources.Memory.MemoryMB = 1024 // 4 allocs of 256 MB each
		nodes = append(nodes, n)
		if _, err := s.RegisterNode(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	var jobs []*structs.Job
	for i := 0; i < 8; i++ {
		job := mock.Job() // 2 x 256 MB
		jobs = append(jobs, job)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.RegisterJob(ctx, &structs.JobRegisterHTTPRequest{Job: job}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	// 16 allocs wanted, 12 fit.
	waitUntil(t, 10*time.Second, func() error {
		total := 0
		for _, j := range jobs {
			total += len(liveAllocs(s, j))
		}
		if total != 12 {
			return fmt.Errorf("%d allocs placed, want 12", total)
		}
		return nil
	})
	for _, n := range nodes {
		allocs, _ := s.State().AllocsByNode(nil, n.ID)
		var used structs.ComparableResources
		for _, a := range allocs {
			if a.UsesResources() {
				used.Add(a.AllocatedResources.Comparable())
			}
		}
		if ok, dim := n.Capacity().Superset(used); !ok {
			t.Fatalf("node %s over-committed on %s: %+v", n.ID, dim, used)
		}
	}
	if s.blocked.Len() == 0 {
		t.Fatal("jobs that did not fit must leave blocked evals")
	}

	// Capacity arrives: blocked evals place the rest.
	extra := mock.Node()
	if _, err := s.RegisterNode(ctx, extra); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 10*time.Second, func() error {
		total := 0
		for _, j := range jobs {
			total += len(liveAllocs(s, j))
		}
		if total != 16 {
			return fmt.Errorf("%d allocs placed after adding a node, want 16", total)
		}
		return nil
	})
}

// TestServer_MissedHeartbeatReplacesWork: a node that stops heartbeating is
// marked down and its allocations are replaced on another node.
func TestServer_MissedHeartbeatReplacesWork(t *testing.T) {
	s := testServer(t, func(c *Config) {
		c.MinHeartbeatTTL = 100 * time.Millisecond
		c.HeartbeatGrace = 50 * time.Millisecond
	})
	ctx := context.Background()
	n1 := mock.Node()
	if _, err := s.RegisterNode(ctx, n1); err != nil {
		t.Fatal(err)
	}
	job := mock.Job()
	job.TaskGroups[0].Count = 1
	if _, err := s.RegisterJob(ctx, &structs.JobRegisterHTTPRequest{Job: job}); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 5*time.Second, func() error {
		if len(liveAllocs(s, job)) != 1 {
			return fmt.Errorf("not placed")
		}
		return nil
	})
	n2 := mock.Node()
	if _, err := s.RegisterNode(ctx, n2); err != nil {
		t.Fatal(err)
	}
	// Keep n2 alive, let n1 go silent.
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(30 * time.Millisecond):
				_, _ = s.Heartbeat(ctx, n2.ID)
			}
		}
	}()
	waitUntil(t, 5*time.Second, func() error {
		n, _ := s.State().NodeByID(nil, n1.ID)
		if n.Status != structs.NodeStatusDown {
			return fmt.Errorf("n1 is %s", n.Status)
		}
		live := liveAllocs(s, job)
		if len(live) != 1 || live[0].NodeID != n2.ID {
			return fmt.Errorf("not replaced on n2: %d live", len(live))
		}
		return nil
	})
	all, _ := s.State().AllocsByJob(nil, job.Namespace, job.ID)
	lost := 0
	for _, a := range all {
		if a.NodeID == n1.ID && a.ClientStatus == structs.AllocClientStatusLost {
			lost++
		}
	}
	if lost != 1 {
		t.Fatalf("the alloc on the down node must be marked lost")
	}
	if _, err := s.Heartbeat(ctx, "unknown-node"); err == nil {
		t.Fatal("heartbeat of an unknown node must fail")
	}
}
