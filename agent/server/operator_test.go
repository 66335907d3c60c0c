package server

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

func TestCluster_ListAndRemovePeers(t *testing.T) {
	servers := testCluster(t, 3, func(c *Config) { c.Autopilot.CleanupDeadServers = false })
	leader := leaderOf(servers)
	fs := followersOf(servers)
	if leader == nil || len(fs) != 2 {
		t.Fatalf("leader %v, %d followers", leader, len(fs))
	}

	// Any server lists the peers; exactly the leader is marked.
	cfg, err := fs[0].RaftConfiguration()
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Servers) != 3 {
		t.Fatalf("configuration %+v", cfg)
	}
	for _, srv := range cfg.Servers {
		if srv.Leader != (srv.ID == leader.config.NodeName) || !srv.Voter || srv.RaftProtocol != "3" || srv.Address == "" {
			t.Errorf("server %+v (leader is %s)", srv, leader.config.NodeName)
		}
	}

	ctx := ctxT(t, 30*time.Second)
	if err := fs[0].RemoveRaftPeer(ctx, "", ""); err == nil {
		t.Fatal("removing with neither id nor address must fail")
	}
	err = fs[0].RemoveRaftPeer(ctx, "nope", "")
	if code, ok := structs.ErrorCode(err); !ok || code != 404 {
		t.Fatalf("unknown peer: want a 404 from the leader, got %v", err)
	}

	// A dead follower is removed by address through the other follower,
	// which forwards to the leader.
	dead := fs[1]
	deadAddr := dead.rpcListener.ln.Addr().String()
	if err := dead.Shutdown(); err != nil {
		t.Fatal(err)
	}
	if err := fs[0].RemoveRaftPeer(ctx, "", deadAddr); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 10*time.Second, func() error {
		for _, s := range []*Server{leader, fs[0]} {
			if ids := raftIDs(t, s); len(ids) != 2 || ids[dead.config.NodeName] {
				return fmt.Errorf("%s still has %v", s.config.NodeName, ids)
			}
		}
		return nil
	})
}

func TestCluster_AutopilotRemovesDeadServer(t *testing.T) {
	servers := testCluster(t, 3, func(c *Config) {
		c.Autopilot.ServerStabilizationTime = time.Second
		c.Autopilot.Interval = 100 * time.Millisecond
		// Under -race on a loaded machine heartbeats arrive late; this test
		// is about dead servers, not slow ones.
		c.Autopilot.LastContactThreshold = 5 * time.Second
	})
	leader := leaderOf(servers)
	fs := followersOf(servers)

	// Health through a follower (forwarded): three healthy voters.
	waitUntil(t, 10*time.Second, func() error {
		h, err := fs[0].AutopilotHealth(ctxT(t, 5*time.Second))
		if err != nil {
			return err
		}
		if !h.Healthy || h.FailureTolerance != 1 || len(h.Servers) != 3 || len(h.Voters) != 3 || h.Leader != leader.config.NodeName {
			return fmt.Errorf("health %+v", h)
		}
		for _, s := range h.Servers {
			if s.SerfStatus != "alive" || s.StableSince.IsZero() || s.LastIndex == 0 || s.Leader != (s.ID == leader.config.NodeName) {
				return fmt.Errorf("server %+v", s)
			}
		}
		return nil
	})

	dead := fs[1]
	start := time.Now()
	if err := dead.Shutdown(); err != nil { // no Leave: it just disappears
		t.Fatal(err)
	}
	waitUntil(t, 30*time.Second, func() error {
		if ids := raftIDs(t, leader); len(ids) != 2 || ids[dead.config.NodeName] {
			return fmt.Errorf("leader's raft configuration is %v", ids)
		}
		return nil
	})
	if took := time.Since(start); took < time.Second {
		t.Fatalf("removed after %s, before the stabilization time", took)
	}
	waitUntil(t, 5*time.Second, func() error {
		h, err := leader.AutopilotHealth(ctxT(t, 5*time.Second))
		if err != nil {
			return err
		}
		if len(h.Servers) != 2 || h.FailureTolerance != 0 {
			return fmt.Errorf("health after the removal: %+v", h)
		}
		return nil
	})
	// The survivors still commit writes.
	if _, err := fs[0].RegisterJob(ctxT(t, 10*time.Second), &structs.JobRegisterHTTPRequest{Job: mock.Job()}); err != nil {
		t.Fatal(err)
	}
}

func TestCluster_SnapshotThroughFollower(t *testing.T) {
	servers := testCluster(t, 3, nil)
	f := followersOf(servers)[0]
	ctx := ctxT(t, 30*time.Second)
	job := mock.Job()
	if _, err := f.RegisterJob(ctx, &structs.JobRegisterHTTPRequest{Job: job}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.SaveSnapshot(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	info, err := InspectSnapshot(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if info.Jobs != 1 || info.Evals == 0 {
		t.Fatalf("snapshot holds %+v", info)
	}

	// Purge the job, then restore through the follower: it is back on
	// every server.
	if _, err := f.DeregisterJob(ctx, job.Namespace, job.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := f.RestoreSnapshot(ctx, bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 10*time.Second, func() error {
		for _, s := range servers {
			if j, _ := s.State().JobByID(nil, job.Namespace, job.ID); j == nil {
				return fmt.Errorf("%s lacks the restored job", s.config.NodeName)
			}
		}
		return nil
	})
}

func TestServer_SnapshotRestoreIntoFreshServer(t *testing.T) {
	src := testServer(t, nil)
	ctx := ctxT(t, 30*time.Second)
	node := mock.Node()
	if _, err := src.RegisterNode(ctx, node); err != nil {
		t.Fatal(err)
	}
	jobs := []*structs.Job{mock.Job(), mock.Job()}
	for _, j := range jobs {
		if _, err := src.RegisterJob(ctx, &structs.JobRegisterHTTPRequest{Job: j}); err != nil {
			t.Fatal(err)
		}
	}
	waitUntil(t, 10*time.Second, func() error {
		for _, j := range jobs {
			if n := len(liveAllocs(src, j)); n != 2 {
				return fmt.Errorf("job %s has %d allocs", j.ID, n)
			}
		}
		return nil
	})

	var buf bytes.Buffer
	if err := src.SaveSnapshot(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	// A second save right away works too (nothing new since the first).
	if err := src.SaveSnapshot(ctx, &bytes.Buffer{}); err != nil {
		t.Fatalf("second save: %v", err)
	}
	info, err := InspectSnapshot(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if info.Jobs != 2 || info.Nodes != 1 || info.Allocs != 4 || info.Evals != 2 || info.Index == 0 || info.Term == 0 || info.ID == "" || info.Size == 0 {
		t.Fatalf("inspect: %+v", info)
	}

	dst := testServer(t, func(c *Config) { c.NodeName = "fresh" })
	if err := dst.RestoreSnapshot(ctx, bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatal(err)
	}
	want, got := src.State(), dst.State()
	ids := func(s interface{}) map[string]uint64 {
		out := map[string]uint64{}
		switch v := s.(type) {
		case []*structs.Job:
			for _, o := range v {
				out[o.ID] = o.ModifyIndex
			}
		case []*structs.Node:
			for _, o := range v {
				out[o.ID] = o.ModifyIndex
			}
		case []*structs.Allocation:
			for _, o := range v {
				out[o.ID] = o.ModifyIndex
			}
		case []*structs.Evaluation:
			for _, o := range v {
				out[o.ID] = o.ModifyIndex
			}
		}
		return out
	}
	for _, c := range []struct {
		name     string
		src, dst func() (interface{}, error)
	}{
		{"jobs", func() (interface{}, error) { return want.Jobs(nil) }, func() (interface{}, error) { return got.Jobs(nil) }},
		{"nodes", func() (interface{}, error) { return want.Nodes(nil) }, func() (interface{}, error) { return got.Nodes(nil) }},
		{"allocs", func() (interface{}, error) { return want.Allocs(nil) }, func() (interface{}, error) { return got.Allocs(nil) }},
		{"evals", func() (interface{}, error) { return want.Evals(nil) }, func() (interface{}, error) { return got.Evals(nil) }},
	} {
		a, err1 := c.src()
		b, err2 := c.dst()
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if wa, gb := ids(a), ids(b); fmt.Sprint(wa) != fmt.Sprint(gb) || len(wa) == 0 {
			t.Errorf("%s after restore: %v, want %v", c.name, gb, wa)
		}
	}

	// Leader duties run on the restored state: the node's heartbeat timer
	// exists and new work is scheduled.
	if n := dst.heartbeat.count(); n != 1 {
		t.Errorf("%d heartbeat timers after restore, want 1", n)
	}
	extra := mock.Job()
	if _, err := dst.RegisterJob(ctx, &structs.JobRegisterHTTPRequest{Job: extra}); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 10*time.Second, func() error {
		if n := len(liveAllocs(dst, extra)); n != 2 {
			return fmt.Errorf("%d allocs for a job registered after the restore", n)
		}
		return nil
	})
}

func TestServer_RestoreRefusesBadArchives(t *testing.T) {
	s := testServer(t, nil)
	ctx := context.Background()
	if _, err := s.RegisterJob(ctx, &structs.JobRegisterHTTPRequest{Job: mock.Job()}); err != nil {
		t.Fatal(err)
	}
	var good bytes.Buffer
	if err := s.SaveSnapshot(ctx, &good); err != nil {
		t.Fatal(err)
	}
	before := s.State().LatestIndex()
	for name, archive := range map[string][]byte{
		"empty":     nil,
		"not gzip":  []byte("hello"),
		"truncated": good.Bytes()[:good.Len()/2],
	} {
		err := s.RestoreSnapshot(ctx, bytes.NewReader(archive))
		if code, ok := structs.ErrorCode(err); !ok || code != 400 {
			t.Errorf("%s: want a 400, got %v", name, err)
		}
	}
	if after := s.State().LatestIndex(); after != before {
		t.Fatalf("state index moved from %d to %d", before, after)
	}
}
