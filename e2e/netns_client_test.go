package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/drover-project/drover/structs"
)

// TestNetnsClientLost loses a client twice: first its agent is killed with
// SIGKILL, then (after it came back) the other client's cable is cut. Each
// time the lost client's node must go down, its allocations must become
// lost and be replaced on the surviving client within the heartbeat TTL +
// grace + a few seconds. When the lost client returns it must stop the
// tasks of its lost allocations, so no job runs twice.
func TestNetnsClientLost(t *testing.T) {
	c := newNSCluster(t, 3, 2)
	leader := c.waitHealthy(30 * time.Second)
	// Single-allocation jobs placed wherever the scheduler likes: each
	// round loses the client that holds most of them.
	jobs := []string{"lost-a", "lost-b", "lost-c"}
	for _, id := range jobs {
		c.register(leader, sleepJob(t, id, 1))
	}
	for _, id := range jobs {
		waitFor(t, 30*time.Second, func() error { _, err := runningAllocs(leader, id, 1); return err })
	}
	bound := nsHeartbeatTTL + nsHeartbeatGrace + 8*time.Second

	for _, how := range []string{"kill -9", "cut link"} {
		leader = c.waitHealthy(30 * time.Second)
		victim, survivor := busiestClient(t, c, leader, jobs)
		victimID := nodeID(t, leader, victim.name)
		var onVictim []*structs.AllocListStub
		for _, id := range jobs {
			run, _ := runningAllocs(leader, id, 1)
			for _, a := range run {
				if a.NodeID == victimID {
					onVictim = append(onVictim, a)
				}
			}
		}
		t.Logf("%s: losing %s with %d of %d allocations", how, victim.name, len(onVictim), len(jobs))
		lostAt := time.Now()
		if how == "kill -9" {
			victim.kill()
		} else {
			c.net.setLink(victim.name, false)
		}
		var downAfter time.Duration
		waitFor(t, bound+20*time.Second, func() error {
			n, _, err := leader.api.Nodes().Info(victimID, nil)
			if err != nil {
				return err
			}
			if n.Status != structs.NodeStatusDown {
				return fmt.Errorf("node %s is %s", victim.name, n.Status)
			}
			if downAfter == 0 {
				downAfter = time.Since(lostAt)
			}
			for _, id := range jobs {
				run, err := runningAllocs(leader, id, 1)
				if err != nil {
					return err
				}
				if run[0].NodeName != survivor.name {
					return fmt.Errorf("job %s still runs on %s", id, run[0].NodeName)
				}
			}
			for _, a := range onVictim {
				got, _, err := leader.api.Allocations().Info(a.ID, nil)
				if err != nil {
					return err
				}
				if got.ClientStatus != structs.AllocClientStatusLost {
					return fmt.Errorf("allocation %s on %s is %s, want lost", a.ID[:8], victim.name, got.ClientStatus)
				}
			}
			return nil
		})
		took := time.Since(lostAt)
		t.Logf("%s: node %s down after %s; its %d allocations lost and replaced on %s after %s (TTL %s + grace %s)",
			how, victim.name, downAfter.Round(time.Millisecond), len(onVictim), survivor.name, took.Round(time.Millisecond),
			nsHeartbeatTTL, nsHeartbeatGrace)
		if took > bound {
			t.Errorf("%s: replacement took %s, more than TTL + grace + 8s = %s", how, took.Round(time.Millisecond), bound)
		}

		// The victim returns: restarted on its data dir, or its cable back.
		if how == "kill -9" {
			victim.start()
		} else {
			c.net.setLink(victim.name, true)
		}
		c.waitHealthy(30 * time.Second)
		// Its lost allocations' tasks must be stopped, leaving one sleep
		// per job across both clients.
		waitFor(t, 30*time.Second, func() error {
			onV, onS := len(netnsPids(t, victim.ns, "/bin/sleep")), len(netnsPids(t, survivor.ns, "/bin/sleep"))
			if onV != 0 || onS != len(jobs) {
				return fmt.Errorf("sleep tasks: %d on returned %s, %d on %s; want 0 and %d", onV, victim.name, onS, survivor.name, len(jobs))
			}
			return nil
		})
	}
	c.stopJobs(jobs...)
}

// busiestClient returns the client running most of jobs' allocations, and
// the other one.
func busiestClient(t *testing.T, c *nsCluster, via *nsAgent, jobs []string) (busy, other *nsAgent) {
	t.Helper()
	count := map[string]int{}
	for _, id := range jobs {
		run, err := runningAllocs(via, id, 1)
		if err != nil {
			t.Fatal(err)
		}
		count[run[0].NodeName]++
	}
	busy, other = c.clients[0], c.clients[1]
	if count[other.name] > count[busy.name] {
		busy, other = other, busy
	}
	return busy, other
}

// nodeID returns the ID of the node named name.
func nodeID(t *testing.T, via *nsAgent, name string) string {
	t.Helper()
	nodes, _, err := via.api.Nodes().List(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		if n.Name == name {
			return n.ID
		}
	}
	t.Fatalf("no node named %s in %d nodes", name, len(nodes))
	return ""
}
