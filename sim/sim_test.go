package sim

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/agent/server"
	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

func TestSimulatedNodesRunAJob(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	scfg := server.DefaultConfig()
	scfg.DevMode = true
	scfg.NodeName = "sim-test"
	scfg.RaftAddr = addr
	srv, err := server.New(scfg)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := srv.WaitForLeader(ctx); err != nil {
		t.Fatal(err)
	}

	cfg := DefaultConfig()
	cfg.Servers = []string{addr}
	cfg.Nodes = 40
	cfg.NodesPerConn = 16
	cfg.Datacenters = []string{"dc1", "dc2"}
	cfg.Logger = hclog.NewNullLogger()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()

	waitFor(t, func() error {
		nodes, _ := srv.State().Nodes(nil)
		if len(nodes) != 40 {
			return fmt.Errorf("%d nodes registered", len(nodes))
		}
		return nil
	})
	job := mock.Job()
	job.Datacenters = []string{"dc2"}
	job.TaskGroups[0].Count = 60
	if _, err := srv.RegisterJob(ctx, &structs.JobRegisterHTTPRequest{Job: job}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() error {
		allocs, _ := srv.State().AllocsByJob(nil, job.Namespace, job.ID)
		running := 0
		for _, a := range allocs {
			if a.ClientStatus == structs.AllocClientStatusRunning {
				running++
				if n, _ := srv.State().NodeByID(nil, a.NodeID); n.Datacenter != "dc2" {
					return fmt.Errorf("alloc placed in %s", n.Datacenter)
				}
			}
		}
		if running != 60 {
			return fmt.Errorf("%d of 60 running", running)
		}
		// The sim counts a report once the server has acknowledged it.
		if got := s.Stats.Running.Load(); got != 60 {
			return fmt.Errorf("sim counted %d running", got)
		}
		return nil
	})
	if _, err := srv.DeregisterJob(ctx, job.Namespace, job.ID, false); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() error {
		if c := s.Stats.Completed.Load(); c != 60 {
			return fmt.Errorf("%d completed", c)
		}
		return nil
	})
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestConfigValidate(t *testing.T) {
	c := &Config{}
	if err := c.Validate(); err == nil {
		t.Fatal("empty config accepted")
	}
	c = DefaultConfig()
	c.Servers = []string{"127.0.0.1:4647"}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

func waitFor(t *testing.T, fn func() error) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var err error
	for time.Now().Before(deadline) {
		if err = fn(); err == nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal(err)
}
