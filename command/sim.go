package command

import (
	"flag"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/sim"
)

// simCommand is `drover sim`: simulated client nodes for load tests.
type simCommand struct{ *Meta }

func (c *simCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover sim [options]

  Starts simulated client nodes in this process. They register, heartbeat,
  fetch their allocations and report them running over the real RPC path,
  without starting any process. Ctrl-C stops them without deregistering:
  the servers mark them down by heartbeat TTL, as they would real nodes.

Options:

  -servers=<addrs>       Comma-separated server RPC addresses (default 127.0.0.1:4647).
  -nodes=<n>             Number of nodes (default 100).
  -datacenters=<dcs>     Comma-separated datacenters, assigned round-robin (default dc1).
  -cpu=<mhz>             CPU per node in MHz (default 4000).
  -memory=<mb>           Memory per node in MB (default 8192).
  -nodes-per-conn=<n>    Nodes sharing one RPC connection (default 250).
`)
}

func (c *simCommand) Synopsis() string { return "Simulate client nodes for load tests" }

func (c *simCommand) Run(args []string) int {
	cfg := sim.DefaultConfig()
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	fs.SetOutput(c.UI.Err)
	servers := fs.String("servers", "127.0.0.1:4647", "")
	dcs := fs.String("datacenters", "dc1", "")
	fs.IntVar(&cfg.Nodes, "nodes", cfg.Nodes, "")
	fs.Int64Var(&cfg.CPU, "cpu", cfg.CPU, "")
	fs.Int64Var(&cfg.MemoryMB, "memory", cfg.MemoryMB, "")
	fs.IntVar(&cfg.NodesPerConn, "nodes-per-conn", cfg.NodesPerConn, "")
	if err := fs.Parse(args); err != nil {
		return 1
	}
	if fs.NArg() > 0 {
		return c.wrongArgs("This command takes no arguments")
	}
	cfg.Servers = strings.Split(*servers, ",")
	cfg.Datacenters = strings.Split(*dcs, ",")
	cfg.Logger = hclog.New(&hclog.LoggerOptions{Name: "sim", Level: hclog.Warn, Output: c.UI.Err})
	s, err := sim.New(cfg)
	if err != nil {
		c.Errorf("Error starting the simulation: %v", err)
		return 1
	}
	c.Outputf("==> Simulating %d nodes against %s", cfg.Nodes, strings.Join(cfg.Servers, ","))
	done := make(chan error, 1)
	go func() { done <- s.Run(c.Ctx) }()
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	start := time.Now()
	for {
		select {
		case err := <-done:
			c.Outputf("==> Stopped after %s", time.Since(start).Round(time.Second))
			if err != nil {
				c.Errorf("Error: %v", err)
				return 1
			}
			return 0
		case <-tick.C:
			st := &s.Stats
			c.Outputf("    %s: %d/%d registered, %d allocs running, %d completed, %d heartbeats, %d errors",
				time.Since(start).Round(time.Second), st.Registered.Load(), cfg.Nodes, st.Running.Load(),
				st.Completed.Load(), st.Heartbeats.Load(), st.Errors.Load())
		}
	}
}
