package e2e

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/drover-project/drover/api"
	"github.com/drover-project/drover/structs"
)

// TestNetnsLeaderKilled kills the leader with SIGKILL five times in a row.
// Each time the two survivors must agree on a new leader within 10 s, every
// job and allocation must be intact (same allocations, still running), a
// new job must schedule, and the killed server, restarted on its data dir,
// must rejoin before the next round. It logs the median failover time.
func TestNetnsLeaderKilled(t *testing.T) {
	c := newNSCluster(t, 3, 2)
	leader := c.waitHealthy(30 * time.Second)

	jobs := []string{"pre"}
	c.register(leader, sleepJob(t, "pre", 2))
	want := map[string][]string{} // job -> its running allocation IDs
	waitFor(t, 30*time.Second, func() error {
		run, err := runningAllocs(leader, "pre", 2)
		want["pre"] = allocIDs(run)
		return err
	})

	const rounds = 5
	var failovers []time.Duration
	for round := 1; round <= rounds; round++ {
		old := leader
		survivors := c.others(old)
		killedAt := time.Now()
		old.kill()
		var elected *nsAgent
		waitFor(t, 10*time.Second, func() error {
			l, err := c.leader(survivors)
			if err != nil {
				return err
			}
			if l == old {
				return fmt.Errorf("survivors still report the killed leader %s", old.name)
			}
			elected = l
			return nil
		})
		took := time.Since(killedAt)
		failovers = append(failovers, took)
		t.Logf("round %d: killed leader %s, %s elected after %s", round, old.name, elected.name, took.Round(time.Millisecond))

		// Nothing acknowledged is lost or disturbed, as every survivor
		// sees it.
		for _, s := range survivors {
			ids, err := jobIDs(s)
			if err != nil {
				t.Fatalf("listing jobs on %s: %v", s.name, err)
			}
			for _, j := range jobs {
				if !ids[j] {
					t.Fatalf("round %d: job %s missing on %s after failover (has %v)", round, j, s.name, ids)
				}
			}
			for _, j := range jobs {
				n := len(want[j])
				run, err := runningAllocs(s, j, n)
				if err != nil {
					t.Fatalf("round %d: after failover: %v", round, err)
				}
				if got := allocIDs(run); !reflect.DeepEqual(got, want[j]) {
					t.Fatalf("round %d: job %s on %s runs allocations %v, want the same as before %v", round, j, s.name, got, want[j])
				}
			}
		}

		// New work schedules through the new leader's cluster.
		id := fmt.Sprintf("after-%d", round)
		c.register(survivors[round%2], sleepJob(t, id, 1))
		jobs = append(jobs, id)
		waitFor(t, 30*time.Second, func() error {
			run, err := runningAllocs(elected, id, 1)
			want[id] = allocIDs(run)
			return err
		})

		// The killed server restarts on its data dir and rejoins.
		old.start()
		leader = c.waitHealthy(30 * time.Second)
		waitFor(t, 30*time.Second, func() error {
			ids, err := jobIDs(old)
			if err != nil {
				return err
			}
			if len(ids) != len(jobs) {
				return fmt.Errorf("restarted %s has jobs %v, want %v", old.name, ids, jobs)
			}
			return nil
		})
	}
	t.Logf("leader failover (SIGKILL -> survivors agree on a new leader): median %s over %d rounds, all %v",
		median(failovers).Round(time.Millisecond), rounds, roundAll(failovers))
	c.stopJobs(jobs...)
}

func roundAll(ds []time.Duration) []time.Duration {
	out := make([]time.Duration, len(ds))
	for i, d := range ds {
		out[i] = d.Round(time.Millisecond)
	}
	return out
}

// TestNetnsMinorityPartition cuts one server's cable, first a follower's,
// then the leader's. Writes sent to the cut-off server must fail with a
// clear error within a bounded time, the majority must keep accepting
// writes (and scheduling them), and once the cable is back the server must
// catch up on every write made meanwhile and accept writes again. The
// client's running allocation must not be disturbed.
func TestNetnsMinorityPartition(t *testing.T) {
	c := newNSCluster(t, 3, 1)
	leader := c.waitHealthy(30 * time.Second)
	c.register(leader, sleepJob(t, "pre", 1))
	var pre []string
	waitFor(t, 30*time.Second, func() error {
		run, err := runningAllocs(leader, "pre", 1)
		pre = allocIDs(run)
		return err
	})
	jobs := []string{"pre"}

	for _, which := range []string{"follower", "leader"} {
		leader = c.waitHealthy(30 * time.Second)
		cut := leader
		if which == "follower" {
			cut = c.others(leader)[0]
		}
		majority := c.others(cut)
		t.Logf("cutting off the %s %s", which, cut.name)
		c.net.setLink(cut.name, false)
		cutAt := time.Now()

		// A write sent at once, while the cut-off server may still
		// believe in a leader it can no longer reach.
		early := "minority-early-" + which
		errEarly, tookEarly := registerBounded(cut, sleepJob(t, early, 1), 60*time.Second)
		t.Logf("write to cut-off %s %s after the cut: failed after %s: %v", which, cut.name, tookEarly.Round(time.Millisecond), errEarly)
		if errEarly == nil {
			t.Errorf("a write to the cut-off %s %s succeeded", which, cut.name)
		}
		if tookEarly > writeFailBound {
			t.Errorf("a write to the cut-off %s %s took %s to fail (bound %s)", which, cut.name, tookEarly.Round(time.Millisecond), writeFailBound)
		}
		// Once it knows it has no leader, a write must fail fast.
		waitFor(t, 30*time.Second, func() error {
			l, err := cut.api.Status().Leader()
			if err != nil {
				return err
			}
			if l != "" {
				return fmt.Errorf("cut-off %s still sees leader %s", cut.name, l)
			}
			return nil
		})
		t.Logf("cut-off %s saw no leader %s after the cut", cut.name, time.Since(cutAt).Round(time.Millisecond))
		late := "minority-late-" + which
		errLate, tookLate := registerBounded(cut, sleepJob(t, late, 1), 60*time.Second)
		t.Logf("write to leaderless %s: failed after %s: %v", cut.name, tookLate.Round(time.Millisecond), errLate)
		if errLate == nil || !strings.Contains(errLate.Error(), "no cluster leader") {
			t.Errorf("write to leaderless %s: got %v, want a \"no cluster leader\" error", cut.name, errLate)
		}
		if tookLate > writeFailBound {
			t.Errorf("write to leaderless %s took %s to fail (bound %s)", cut.name, tookLate.Round(time.Millisecond), writeFailBound)
		}

		// The majority elects (or keeps) a leader and takes writes.
		var newLeader *nsAgent
		waitFor(t, 15*time.Second, func() error {
			var err error
			newLeader, err = c.leader(majority)
			return err
		})
		var made []string
		for i, s := range majority {
			id := fmt.Sprintf("majority-%s-%d", which, i)
			c.register(s, sleepJob(t, id, 1))
			made = append(made, id)
		}
		for _, id := range made {
			waitFor(t, 30*time.Second, func() error { _, err := runningAllocs(newLeader, id, 1); return err })
		}
		jobs = append(jobs, made...)

		// Heal: the cut-off server catches up and takes writes again.
		c.net.setLink(cut.name, true)
		healedAt := time.Now()
		// Stale reads show the server's own state: that is what must
		// catch up, whatever the read path does.
		waitFor(t, 30*time.Second, func() error {
			ids, err := localJobIDs(cut)
			if err != nil {
				return err
			}
			for _, id := range made {
				if !ids[id] {
					return fmt.Errorf("%s lacks %s", cut.name, id)
				}
			}
			return nil
		})
		t.Logf("%s caught up %s after healing", cut.name, time.Since(healedAt).Round(time.Millisecond))
		// A default (consistent) read on it must answer promptly too.
		readAt := time.Now()
		if _, err := jobIDs(cut); err != nil || time.Since(readAt) > writeFailBound {
			t.Errorf("a consistent read on %s after healing took %s: %v", cut.name, time.Since(readAt).Round(time.Millisecond), err)
		}
		c.waitHealthy(30 * time.Second)
		// Writes refused for lack of a leader must not have happened.
		ids, err := localJobIDs(cut)
		if err != nil {
			t.Fatal(err)
		}
		if ids[late] {
			t.Errorf("job %s, refused with %v, exists after healing", late, errLate)
		}
		if ids[early] {
			t.Logf("job %s, whose write failed with %v, exists after healing (the outcome of a failed write is unknown)", early, errEarly)
			jobs = append(jobs, early)
		}
		after := "after-heal-" + which
		c.register(cut, sleepJob(t, after, 1))
		jobs = append(jobs, after)
		waitFor(t, 30*time.Second, func() error { _, err := runningAllocs(cut, after, 1); return err })

		// The client may have been talking to the cut-off server; it must
		// fail over to another one before its heartbeat TTL runs out.
		var run []*structs.AllocListStub
		waitFor(t, 30*time.Second, func() error {
			var err error
			run, err = runningAllocs(cut, "pre", 1)
			return err
		})
		if got := allocIDs(run); !reflect.DeepEqual(got, pre) {
			t.Errorf("cutting off the %s disturbed job pre: it now runs %v, before %v (was its node marked down?)", which, got, pre)
			pre = got
		}
	}
	c.stopJobs(jobs...)
}

// writeFailBound is how long a write to a server cut off from the majority
// may take to fail: the follower's wait for a leader (5 s) plus an
// election timeout and slack.
const writeFailBound = 15 * time.Second

// registerBounded registers job through via, giving up after limit (beyond
// the harness client's usual timeout), and returns the error and how long
// the answer took.
func registerBounded(via *nsAgent, job *structs.Job, limit time.Duration) (error, time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cl, err := api.NewClient(&api.Config{Address: via.api.Address(), HTTPClient: &http.Client{Transport: via.c.http.Transport}})
	if err != nil {
		return err, 0
	}
	start := time.Now()
	_, err = cl.Jobs().Register(job, (&api.WriteOptions{}).WithContext(ctx))
	took := time.Since(start)
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("no answer within %s (the write hangs): %w", limit, err)
	}
	return err, took
}

// localJobIDs lists the jobs in via's own state (a stale read, answered
// without asking the leader).
func localJobIDs(via *nsAgent) (map[string]bool, error) {
	jobs, _, err := via.api.Jobs().List(&api.QueryOptions{Params: map[string]string{"stale": ""}})
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, j := range jobs {
		ids[j.ID] = true
	}
	return ids, nil
}
