package rpcclient_test

import (
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/agent/rpcclient"
	"github.com/drover-project/drover/agent/server"
	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func testServer(t *testing.T) (*server.Server, string) {
	t.Helper()
	cfg := server.DefaultConfig()
	cfg.DevMode = true
	cfg.NodeName = "rpc-test"
	cfg.RaftAddr = freeAddr(t)
	cfg.Logger = hclog.NewNullLogger()
	s, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Shutdown() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.WaitForLeader(ctx); err != nil {
		t.Fatal(err)
	}
	return s, cfg.RaftAddr
}

func TestServersOverRPC(t *testing.T) {
	srv, addr := testServer(t)
	// The first address is dead: calls must move on to the live server.
	c, err := rpcclient.New([]string{freeAddr(t), addr}, hclog.NewNullLogger())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	node := mock.Node()
	var ttl time.Duration
	deadline := time.Now().Add(5 * time.Second)
	for {
		ttl, err = c.RegisterNode(ctx, node)
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond) // leader duties still starting
	}
	if err != nil || ttl <= 0 {
		t.Fatalf("register: ttl %v err %v", ttl, err)
	}
	if got, _ := srv.State().NodeByID(nil, node.ID); got == nil || got.SecretID != node.SecretID {
		t.Fatalf("node not registered intact: %+v", got)
	}
	if _, err := c.Heartbeat(ctx, node.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Heartbeat(ctx, "no-such-node"); !errors.Is(err, structs.ErrUnknownNode) {
		t.Fatalf("unknown node heartbeat: %v", err)
	}

	// A blocking query wakes when the node gets an allocation.
	allocs, index, err := c.NodeAllocs(ctx, node.ID, 0)
	if err != nil || len(allocs) != 0 {
		t.Fatalf("initial allocs: %v %v", allocs, err)
	}
	got := make(chan []*structs.Allocation, 1)
	go func() {
		a, _, err := c.NodeAllocs(ctx, node.ID, index)
		if err != nil {
			t.Error(err)
		}
		got <- a
	}()
	time.Sleep(50 * time.Millisecond)
	job := mock.Job()
	job.TaskGroups[0].Count = 1
	if _, err := srv.RegisterJob(ctx, &structs.JobRegisterHTTPRequest{Job: job}); err != nil {
		t.Fatal(err)
	}
	var placed []*structs.Allocation
	select {
	case placed = <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("blocking query did not wake")
	}
	if len(placed) != 1 || placed[0].Job == nil {
		t.Fatalf("placed allocs over rpc: %+v", placed)
	}
	if cfg := placed[0].Job.TaskGroups[0].Tasks[0].Config; cfg["run_for"] != "10m" {
		t.Fatalf("driver config lost over rpc: %#v", cfg)
	}

	upd := &structs.Allocation{ID: placed[0].ID, NodeID: node.ID, ClientStatus: structs.AllocClientStatusRunning}
	if err := c.UpdateAllocs(ctx, []*structs.Allocation{upd}); err != nil {
		t.Fatal(err)
	}
	if a, _ := srv.State().AllocByID(nil, placed[0].ID); a.ClientStatus != structs.AllocClientStatusRunning {
		t.Fatalf("status not applied: %s", a.ClientStatus)
	}

	// A cancelled context abandons a blocking call at once.
	cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, _, err := c.NodeAllocs(cctx, node.ID, placed[0].ModifyIndex+100); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("cancelled call: %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("cancelled call did not return promptly")
	}
}

func TestNewRejectsBadAddresses(t *testing.T) {
	if _, err := rpcclient.New(nil, hclog.NewNullLogger()); err == nil {
		t.Fatal("no addresses accepted")
	}
	if _, err := rpcclient.New([]string{"no-port"}, hclog.NewNullLogger()); err == nil {
		t.Fatal("address without port accepted")
	}
}

// TestSilentServerIsSkipped: a server whose connection goes quiet (cut off
// from the network) is given up on after the attempt timeout and the next
// server answers.
func TestSilentServerIsSkipped(t *testing.T) {
	_, addr := testServer(t)
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			go func() { _, _ = io.Copy(io.Discard, c) }() // reads, never answers
		}
	}()
	c, err := rpcclient.New([]string{silent.Addr().String(), addr}, hclog.NewNullLogger())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.AttemptTimeout = 200 * time.Millisecond
	start := time.Now()
	if _, err := c.Heartbeat(context.Background(), "no-such-node"); !errors.Is(err, structs.ErrUnknownNode) {
		t.Fatalf("want the live server's answer, got %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("took %s to move past the silent server", d)
	}
}
