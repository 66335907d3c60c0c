package sim

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/drover-project/drover/agent/client"
	"github.com/drover-project/drover/structs"
)

// node is one simulated client.
type node struct {
	n       *structs.Node
	servers client.ServerAPI
	stats   *Stats
	update  time.Duration

	mu      sync.Mutex
	known   map[string]string // alloc ID -> client status reported
	pending map[string]*structs.Allocation
}

func newNode(idx int, cfg *Config, servers client.ServerAPI, stats *Stats) *node {
	id := structs.GenerateUUID()
	dc := cfg.Datacenters[idx%len(cfg.Datacenters)]
	healthy := func() *structs.DriverInfo {
		return &structs.DriverInfo{Detected: true, Healthy: true, HealthDescription: "Healthy (simulated)"}
	}
	n := &structs.Node{
		ID: id, SecretID: structs.GenerateUUID(), Datacenter: dc,
		Name: fmt.Sprintf("sim-%05d", idx), NodeClass: fmt.Sprintf("class-%d", idx%4), NodePool: "default",
		Attributes: map[string]string{
			"kernel.name": "linux", "os.name": "debian", "cpu.arch": "amd64",
			"cpu.numcores": "4", "cpu.totalcompute": fmt.Sprint(cfg.CPU),
			"memory.totalbytes":         fmt.Sprint(cfg.MemoryMB << 20),
			"unique.hostname":           fmt.Sprintf("sim-%05d", idx),
			"unique.network.ip-address": fmt.Sprintf("10.%d.%d.%d", idx>>16&255, idx>>8&255, idx&255),
			"driver.raw_exec":           "1", "driver.exec": "1", "driver.mock": "1",
			"nomad.version": "0.1.0",
		},
		Meta: map[string]string{"rack": fmt.Sprintf("r%d", idx%40), "simulated": "true"},
		NodeResources: &structs.NodeResources{
			Cpu:    structs.NodeCpuResources{CpuShares: cfg.CPU, TotalCpuCores: 4},
			Memory: structs.NodeMemoryResources{MemoryMB: cfg.MemoryMB},
			Disk:   structs.NodeDiskResources{DiskMB: 100 << 10},
		},
		Drivers: map[string]*structs.DriverInfo{"raw_exec": healthy(), "exec": healthy(), "mock": healthy()},
	}
	return &node{n: n, servers: servers, stats: stats, update: cfg.UpdateInterval,
		known: map[string]string{}, pending: map[string]*structs.Allocation{}}
}

// run registers the node and keeps it alive until ctx ends.
func (s *node) run(ctx context.Context) {
	ttl := s.register(ctx)
	if ttl == 0 {
		return
	}
	s.stats.Registered.Add(1)
	go s.heartbeat(ctx, ttl)
	go s.report(ctx)
	var index uint64
	for ctx.Err() == nil {
		allocs, idx, err := s.servers.NodeAllocs(ctx, s.n.ID, index)
		if err != nil {
			s.stats.Errors.Add(1)
			sleep(ctx, time.Second)
			continue
		}
		index = idx
		s.observe(allocs)
	}
}

func (s *node) register(ctx context.Context) time.Duration {
	for ctx.Err() == nil {
		ttl, err := s.servers.RegisterNode(ctx, s.n)
		if err == nil {
			return ttl
		}
		s.stats.Errors.Add(1)
		sleep(ctx, time.Second+rand.N(time.Second))
	}
	return 0
}

func (s *node) heartbeat(ctx context.Context, ttl time.Duration) {
	for {
		// As real clients: a little before the TTL, spread out.
		if !sleep(ctx, ttl/2+rand.N(ttl/4+1)) {
			return
		}
		next, err := s.servers.Heartbeat(ctx, s.n.ID)
		if err != nil {
			s.stats.Errors.Add(1)
			continue
		}
		s.stats.Heartbeats.Add(1)
		ttl = next
	}
}

// observe queues a status report for each allocation that changed.
func (s *node) observe(allocs []*structs.Allocation) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range allocs {
		want := structs.AllocClientStatusRunning
		if a.DesiredStatus != structs.AllocDesiredStatusRun {
			want = structs.AllocClientStatusComplete
		}
		if a.ClientTerminalStatus() || s.known[a.ID] == want {
			continue
		}
		if p, queued := s.pending[a.ID]; queued && p.ClientStatus == want {
			continue
		}
		s.pending[a.ID] = &structs.Allocation{ID: a.ID, NodeID: s.n.ID, ClientStatus: want,
			TaskStates: simulatedTaskStates(a, want)}
	}
}

// report sends queued statuses, at most one call per update interval.
func (s *node) report(ctx context.Context) {
	for sleep(ctx, s.update) {
		s.mu.Lock()
		if len(s.pending) == 0 {
			s.mu.Unlock()
			continue
		}
		batch := make([]*structs.Allocation, 0, len(s.pending))
		for _, a := range s.pending {
			batch = append(batch, a)
		}
		s.pending = map[string]*structs.Allocation{}
		s.mu.Unlock()
		if err := s.servers.UpdateAllocs(ctx, batch); err != nil {
			s.stats.Errors.Add(1)
			s.mu.Lock()
			for _, a := range batch {
				if _, newer := s.pending[a.ID]; !newer {
					s.pending[a.ID] = a
				}
			}
			s.mu.Unlock()
			continue
		}
		s.mu.Lock()
		for _, a := range batch {
			prev := s.known[a.ID]
			if prev == a.ClientStatus {
				continue // a report raced with an earlier one; count transitions once
			}
			s.known[a.ID] = a.ClientStatus
			if a.ClientStatus == structs.AllocClientStatusRunning {
				s.stats.Running.Add(1)
				continue
			}
			if prev == structs.AllocClientStatusRunning {
				s.stats.Running.Add(-1)
			}
			s.stats.Completed.Add(1)
		}
		s.mu.Unlock()
	}
}

func simulatedTaskStates(a *structs.Allocation, status string) map[string]*structs.TaskState {
	tg := a.Job.LookupTaskGroup(a.TaskGroup)
	if tg == nil {
		return nil
	}
	now := time.Now()
	out := make(map[string]*structs.TaskState, len(tg.Tasks))
	for _, t := range tg.Tasks {
		ts := &structs.TaskState{State: structs.TaskStateRunning, StartedAt: now,
			Events: []*structs.TaskEvent{structs.NewTaskEvent(structs.TaskStarted, now, "Task started by client (simulated)")}}
		if status == structs.AllocClientStatusComplete {
			ts.State = structs.TaskStateDead
			ts.FinishedAt = now
		}
		out[t.Name] = ts
	}
	return out
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// Stats counts what the simulation did; safe for concurrent use.
type Stats struct {
	Registered atomic.Int64
	Heartbeats atomic.Int64
	Running    atomic.Int64
	Completed  atomic.Int64
	Errors     atomic.Int64
}
