package server

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

// fakeClients plays the clients of a test server until stop is closed:
// pending allocations start running and stopped ones complete.
func fakeClients(t *testing.T, s *Server, stop <-chan struct{}) {
	t.Helper()
	ctx := context.Background()
	done := make(chan struct{})
	t.Cleanup(func() { <-done })
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			allocs, _ := s.State().Allocs(nil)
			var updates []*structs.Allocation
			for _, a := range allocs {
				switch {
				case a.DesiredStatus == structs.AllocDesiredStatusRun && a.ClientStatus == structs.AllocClientStatusPending:
					updates = append(updates, &structs.Allocation{ID: a.ID, ClientStatus: structs.AllocClientStatusRunning})
				case a.DesiredStatus != structs.AllocDesiredStatusRun && !a.ClientTerminalStatus():
					updates = append(updates, &structs.Allocation{ID: a.ID, ClientStatus: structs.AllocClientStatusComplete})
				}
			}
			if err := s.UpdateAllocs(ctx, updates); err != nil {
				t.Errorf("client update: %v", err)
				return
			}
		}
	}()
}

// TestServer_DrainMigratesInStepsAndCompletes: four service allocations on
// node A with migrate { max_parallel = 2 } move to node B two at a time
// (the second pair only after the first replacements ran for
// min_healthy_time); a batch allocation keeps running on A until the
// drain's deadline; then the drain completes with a node event and A stays
// ineligible.
func TestServer_DrainMigratesInStepsAndCompletes(t *testing.T) {
	s := testServer(t, func(c *Config) { c.MinHeartbeatTTL = time.Minute })
	ctx := context.Background()
	stop := make(chan struct{})
	defer close(stop)
	fakeClients(t, s, stop)

	a := mock.Node()
	if _, err := s.RegisterNode(ctx, a); err != nil {
		t.Fatal(err)
	}
	const minHealthy = 300 * time.Millisecond
	svc := mock.Job()
	svc.TaskGroups[0].Count = 4
	svc.TaskGroups[0].Migrate = &structs.MigrateStrategy{MaxParallel: 2, MinHealthyTime: minHealthy,
		HealthCheck: structs.MigrateHealthTaskStates, HealthyDeadline: time.Minute}
	batch := mock.BatchJob()
	batch.TaskGroups[0].Count = 1
	for _, j := range []*structs.Job{svc, batch} {
		if _, err := s.RegisterJob(ctx, &structs.JobRegisterHTTPRequest{Job: j}); err != nil {
			t.Fatal(err)
		}
	}
	running := func(j *structs.Job, nodeID string, want int) error {
		n := 0
		for _, al := range liveAllocs(s, j) {
			if al.NodeID == nodeID && al.ClientStatus == structs.AllocClientStatusRunning {
				n++
			}
		}
		if n != want {
			return fmt.Errorf("job %s: %d running on %s, want %d", j.ID, n, nodeID, want)
		}
		return nil
	}
	waitUntil(t, 5*time.Second, func() error {
		if err := running(svc, a.ID, 4); err != nil {
			return err
		}
		return running(batch, a.ID, 1)
	})

	b := mock.Node()
	if _, err := s.RegisterNode(ctx, b); err != nil {
		t.Fatal(err)
	}
	const deadline = 4 * time.Second
	start := time.Now()
	if _, err := s.UpdateNodeDrain(ctx, a.ID, &structs.DrainSpec{Deadline: deadline}, false); err != nil {
		t.Fatal(err)
	}
	n, _ := s.State().NodeByID(nil, a.ID)
	if !n.Drain || n.DrainStrategy == nil || n.SchedulingEligibility != structs.NodeSchedulingIneligible {
		t.Fatalf("draining node: drain %v strategy %+v eligibility %s", n.Drain, n.DrainStrategy, n.SchedulingEligibility)
	}

	waitUntil(t, deadline, func() error { return running(svc, b.ID, 4) })
	if time.Since(start) >= deadline {
		t.Fatal("service migration took until the deadline")
	}
	// The batch allocation is left to run until the deadline.
	if err := running(batch, a.ID, 1); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.State().NodeByID(nil, a.ID); !n.Drain {
		t.Fatal("drain completed while the batch allocation still runs")
	}

	// Replacements came in two plans of two, the second at least
	// min_healthy_time after the first.
	byIndex := map[uint64][]*structs.Allocation{}
	for _, al := range liveAllocs(s, svc) {
		byIndex[al.CreateIndex] = append(byIndex[al.CreateIndex], al)
	}
	var idx []uint64
	for i := range byIndex {
		idx = append(idx, i)
	}
	sort.Slice(idx, func(i, j int) bool { return idx[i] < idx[j] })
	if len(idx) != 2 || len(byIndex[idx[0]]) != 2 || len(byIndex[idx[1]]) != 2 {
		t.Fatalf("replacements by create index: %v", func() map[uint64]int {
			m := map[uint64]int{}
			for k, v := range byIndex {
				m[k] = len(v)
			}
			return m
		}())
	}
	gap := time.Duration(byIndex[idx[1]][0].CreateTime - byIndex[idx[0]][0].CreateTime)
	if gap < minHealthy {
		t.Fatalf("second pair placed %s after the first, want at least %s", gap, minHealthy)
	}

	// At the deadline the batch allocation moves and the drain completes.
	waitUntil(t, deadline+5*time.Second, func() error {
		n, _ := s.State().NodeByID(nil, a.ID)
		if n.Drain || n.DrainStrategy != nil {
			return fmt.Errorf("still draining")
		}
		return nil
	})
	if time.Since(start) < deadline {
		t.Fatalf("drain completed after %s, before the %s deadline", time.Since(start), deadline)
	}
	n, _ = s.State().NodeByID(nil, a.ID)
	if n.SchedulingEligibility != structs.NodeSchedulingIneligible {
		t.Fatalf("drained node is %s, want ineligible", n.SchedulingEligibility)
	}
	if last := n.Events[len(n.Events)-1]; last.Message != "Node drain complete" {
		t.Fatalf("last node event %q", last.Message)
	}
	waitUntil(t, 5*time.Second, func() error { return running(batch, b.ID, 1) })
	for _, al := range liveAllocs(s, svc) {
		if al.NodeID != b.ID {
			t.Fatalf("service alloc %s still on %s", al.ID, al.NodeID)
		}
	}
}

func TestServer_DrainDisable(t *testing.T) {
	s := testServer(t, func(c *Config) { c.MinHeartbeatTTL = time.Minute })
	ctx := context.Background()
	n := mock.Node()
	if _, err := s.RegisterNode(ctx, n); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateNodeDrain(ctx, "nope", &structs.DrainSpec{}, false); err == nil {
		t.Fatal("draining an unknown node must fail")
	}
	// A node without allocations completes its drain at once.
	if _, err := s.UpdateNodeDrain(ctx, n.ID, &structs.DrainSpec{Deadline: time.Hour}, false); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 5*time.Second, func() error {
		if got, _ := s.State().NodeByID(nil, n.ID); got.Drain {
			return fmt.Errorf("still draining")
		}
		return nil
	})
	if _, err := s.UpdateNodeDrain(ctx, n.ID, nil, true); err != nil {
		t.Fatal(err)
	}
	got, _ := s.State().NodeByID(nil, n.ID)
	if got.Drain || got.SchedulingEligibility != structs.NodeSchedulingEligible {
		t.Fatalf("after disable with mark-eligible: drain %v eligibility %s", got.Drain, got.SchedulingEligibility)
	}
}
