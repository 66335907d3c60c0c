package e2e

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/drover-project/drover/api"
	"github.com/drover-project/drover/structs"
)

// TestNetnsFullRestart stops every agent (SIGINT), then starts them all
// again at once on the same data dirs, as after a power cut. Every job,
// allocation and node must come back, and the tasks, which run under
// per-task supervisors that outlive their client agent, must keep running:
// the same processes, re-attached rather than restarted.
func TestNetnsFullRestart(t *testing.T) {
	c := newNSCluster(t, 3, 2)
	leader := c.waitHealthy(30 * time.Second)
	want := map[string]int{"keep-a": 2, "keep-b": 1}
	for id, n := range want {
		c.register(leader, sleepJob(t, id, n))
	}
	before := map[string][]string{}
	for id, n := range want {
		waitFor(t, 30*time.Second, func() error {
			run, err := runningAllocs(leader, id, n)
			before[id] = allocIDs(run)
			return err
		})
	}
	nodesBefore := readyNodes(t, leader)
	pidsBefore := c.sleepPids(t)
	if len(pidsBefore) != 3 {
		t.Fatalf("%d sleep tasks running before the restart, want 3: %v", len(pidsBefore), pidsBefore)
	}

	for _, a := range c.all() {
		a.stop()
	}
	if got := c.sleepPids(t); !reflect.DeepEqual(got, pidsBefore) {
		t.Fatalf("tasks did not survive their agents: sleep pids %v, before %v", got, pidsBefore)
	}
	restartAt := time.Now()
	for _, a := range c.all() {
		a.start()
	}
	leader = c.waitHealthy(60 * time.Second)
	t.Logf("cluster healthy %s after starting all agents again", time.Since(restartAt).Round(time.Millisecond))

	if got := readyNodes(t, leader); !reflect.DeepEqual(got, nodesBefore) {
		t.Errorf("nodes after the restart %v, before %v", got, nodesBefore)
	}
	for _, s := range c.servers {
		ids, err := jobIDs(s)
		if err != nil {
			t.Fatal(err)
		}
		for id, n := range want {
			if !ids[id] {
				t.Errorf("job %s missing on %s after the restart", id, s.name)
				continue
			}
			run, err := runningAllocs(s, id, n)
			if err != nil {
				t.Errorf("after the restart: %v", err)
			} else if got := allocIDs(run); !reflect.DeepEqual(got, before[id]) {
				t.Errorf("job %s on %s runs allocations %v after the restart, before %v", id, s.name, got, before[id])
			}
		}
	}
	// Give the clients a few heartbeats: a node wrongly marked down after
	// the restart would have its tasks replaced now.
	time.Sleep(nsHeartbeatTTL + nsHeartbeatGrace + time.Second)
	if got := c.sleepPids(t); !reflect.DeepEqual(got, pidsBefore) {
		t.Errorf("tasks restarted or replaced across the cluster restart: sleep pids %v, before %v", got, pidsBefore)
	}
	if got := readyNodes(t, leader); !reflect.DeepEqual(got, nodesBefore) {
		t.Errorf("nodes a while after the restart %v, before %v", got, nodesBefore)
	}
	c.stopJobs("keep-a", "keep-b")
}

// readyNodes lists "name=id" of the ready nodes, sorted.
func readyNodes(t *testing.T, via *nsAgent) []string {
	t.Helper()
	nodes, _, err := via.api.Nodes().List(nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range nodes {
		if n.Status == structs.NodeStatusReady {
			out = append(out, n.Name+"="+n.ID)
		}
	}
	sort.Strings(out)
	return out
}

// sleepPids lists the pids of the /bin/sleep tasks in the clients'
// namespaces, as "client:pid", sorted.
func (c *nsCluster) sleepPids(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, cl := range c.clients {
		for _, pid := range netnsPids(t, cl.ns, "/bin/sleep") {
			out = append(out, fmt.Sprintf("%s:%d", cl.name, pid))
		}
	}
	sort.Strings(out)
	return out
}

// TestNetnsRollingRestart restarts the servers one at a time (SIGINT, start
// on the same data dir, wait until it is back in the cluster) while a
// goroutine keeps registering jobs through whichever server answers. Every
// registration a server acknowledged must be on every server at the end.
func TestNetnsRollingRestart(t *testing.T) {
	c := newNSCluster(t, 3, 0)
	c.waitHealthy(30 * time.Second)

	var (
		mu     sync.Mutex
		acked  []string
		failed int
	)
	ackCount := func() int { mu.Lock(); defer mu.Unlock(); return len(acked) }
	// Parsed here: the submitter goroutine must not call t.Fatal. Each
	// registration sends a shallow copy with its own ID; nothing mutates
	// the shared groups.
	tmpl := sleepJob(t, "roll", 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ctx.Err() == nil; i++ {
			job := *tmpl
			job.ID = fmt.Sprintf("roll-%04d", i)
			job.Name = job.ID
			via := c.servers[i%len(c.servers)]
			wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
			_, err := via.api.Jobs().Register(&job, (&api.WriteOptions{}).WithContext(wctx))
			wcancel()
			mu.Lock()
			if err == nil {
				acked = append(acked, job.ID)
			} else {
				failed++
			}
			mu.Unlock()
			if err != nil {
				time.Sleep(50 * time.Millisecond)
			}
		}
	}()
	defer func() { cancel(); <-done }()

	waitAcks := func(more int, what string) {
		t.Helper()
		from := ackCount()
		waitFor(t, 30*time.Second, func() error {
			if n := ackCount() - from; n < more {
				return fmt.Errorf("%d of %d registrations acknowledged %s", n, more, what)
			}
			return nil
		})
	}
	waitAcks(5, "before the first restart")
	start := time.Now()
	for _, s := range c.servers {
		s.stop()
		waitAcks(3, "while "+s.name+" is down")
		s.start()
		c.waitHealthy(60 * time.Second)
		waitAcks(3, "after "+s.name+" came back")
	}
	cancel()
	<-done
	mu.Lock()
	ids := append([]string(nil), acked...)
	nFailed := failed
	mu.Unlock()
	t.Logf("rolling restart of %d servers took %s; %d registrations acknowledged, %d failed meanwhile",
		len(c.servers), time.Since(start).Round(time.Millisecond), len(ids), nFailed)

	for _, s := range c.servers {
		waitFor(t, 30*time.Second, func() error {
			have, err := jobIDs(s)
			if err != nil {
				return err
			}
			var lost []string
			for _, id := range ids {
				if !have[id] {
					lost = append(lost, id)
				}
			}
			if len(lost) > 0 {
				return fmt.Errorf("%s lacks %d acknowledged registrations: %v", s.name, len(lost), lost)
			}
			return nil
		})
	}
	// No clients ran in this test, so no task exists to stop.
}
