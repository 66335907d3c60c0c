package command

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/drover-project/drover/agent"
)

// AgentCommand runs a Drover agent: `drover agent -dev` or with -config.
type AgentCommand struct {
	Meta *Meta
}

// Help implements Command.
func (c *AgentCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover agent [options]

  Starts a Drover agent and runs until an interrupt is received. The agent
  may be a server, a client, or both (-dev).

Options:

  -dev                 Server and client in one process, state in memory,
                       HTTP on 127.0.0.1:4646, raw_exec enabled.
  -config=<path>       A config file or directory (HCL or JSON, Nomad's agent
                       format). May be repeated; later ones override.
  -data-dir=<path>     Directory for persistent state.
  -bind=<addr>         Address every listener binds to.
  -node=<name>         Name of this agent.
  -dc=<name>           Datacenter (default dc1).
  -region=<name>       Region (default global).
  -log-level=<level>   trace, debug, info, warn or error.
  -server              Enable the server role.
  -client              Enable the client role.
  -bootstrap-expect=N  Servers to wait for before bootstrapping (only 1 yet).
  -node-class=<class>  Client node class.
  -meta=<key=value>    Client node metadata; may be repeated.
  -servers=<addrs>     Comma-separated server RPC addresses (host[:port]) for
                       a client without a local server.
`)
}

// Synopsis implements Command.
func (c *AgentCommand) Synopsis() string { return "Runs a Drover agent" }

// agentFlags are the flags that override config files.
type agentFlags struct {
	dev, server, client  bool
	configs, meta        stringList
	dataDir, bind, node  string
	dc, region, logLevel string
	nodeClass, servers   string
	bootstrapExpect      int
}

// Run implements Command.
func (c *AgentCommand) Run(args []string) int {
	m := c.Meta
	var f agentFlags
	fs := flag.NewFlagSet("agent", flag.ContinueOnError)
	fs.SetOutput(m.UI.Err)
	fs.BoolVar(&f.dev, "dev", false, "")
	fs.Var(&f.configs, "config", "")
	fs.StringVar(&f.dataDir, "data-dir", "", "")
	fs.StringVar(&f.bind, "bind", "", "")
	fs.StringVar(&f.node, "node", "", "")
	fs.StringVar(&f.dc, "dc", "", "")
	fs.StringVar(&f.region, "region", "", "")
	fs.StringVar(&f.logLevel, "log-level", "", "")
	fs.BoolVar(&f.server, "server", false, "")
	fs.BoolVar(&f.client, "client", false, "")
	fs.IntVar(&f.bootstrapExpect, "bootstrap-expect", 0, "")
	fs.StringVar(&f.nodeClass, "node-class", "", "")
	fs.Var(&f.meta, "meta", "")
	fs.StringVar(&f.servers, "servers", "", "")
	if err := fs.Parse(args); err != nil {
		return 1
	}
	if fs.NArg() > 0 {
		return m.wrongArgs(fmt.Sprintf("This command takes no arguments, got %q", fs.Args()))
	}
	cfg, err := f.config()
	if err != nil {
		m.Errorf("==> %v", err)
		return 1
	}

	m.Outputf("==> Starting Drover agent...")
	a, err := agent.New(cfg, m.UI.Out)
	if err != nil {
		m.Errorf("==> Error starting agent: %v", err)
		return 1
	}
	printAgentInfo(m, cfg, a)
	m.Outputf("==> Drover agent started! Log data will stream in below:\n")

	// A second signal while shutting down exits at once.
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	var sig os.Signal = os.Interrupt
	select {
	case <-m.Ctx.Done():
		select { // the same signal usually reached sigs too
		case sig = <-sigs:
		case <-time.After(10 * time.Millisecond):
		}
	case sig = <-sigs:
	}
	m.Outputf("==> Caught signal: %v", sig)
	if (sig == os.Interrupt && cfg.LeaveOnInterrupt) || (sig == syscall.SIGTERM && cfg.LeaveOnTerminate) {
		m.Outputf("==> Gracefully leaving the cluster...")
		if err := a.Leave(); err != nil {
			m.Errorf("==> Error leaving the cluster: %v", err)
		}
	}
	m.Outputf("==> Gracefully shutting down agent...")
	done := make(chan error, 1)
	go func() { done <- a.Shutdown() }()
	select {
	case err := <-done:
		if err != nil {
			m.Errorf("==> Error during shutdown: %v", err)
			return 1
		}
		return 0
	case <-sigs:
		m.Errorf("==> Second signal received, exiting without a clean shutdown")
		return 1
	case <-time.After(60 * time.Second):
		m.Errorf("==> Shutdown timed out")
		return 1
	}
}

// config merges defaults (-dev or not), config files, then flags.
func (f *agentFlags) config() (*agent.Config, error) {
	cfg := agent.DefaultConfig()
	if f.dev {
		cfg = agent.DevConfig()
	}
	if err := agent.LoadConfigPaths(cfg, f.configs); err != nil {
		return nil, err
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&cfg.DataDir, f.dataDir)
	set(&cfg.BindAddr, f.bind)
	set(&cfg.NodeName, f.node)
	set(&cfg.Datacenter, f.dc)
	set(&cfg.Region, f.region)
	set(&cfg.LogLevel, f.logLevel)
	set(&cfg.Client.NodeClass, f.nodeClass)
	if f.server {
		cfg.Server.Enabled = true
	}
	if f.client {
		cfg.Client.Enabled = true
	}
	if f.servers != "" {
		cfg.Client.Servers = strings.Split(f.servers, ",")
	}
	if f.bootstrapExpect != 0 {
		cfg.Server.BootstrapExpect = f.bootstrapExpect
	}
	for _, kv := range f.meta {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("-meta %q: want key=value", kv)
		}
		if cfg.Client.Meta == nil {
			cfg.Client.Meta = map[string]string{}
		}
		cfg.Client.Meta[k] = v
	}
	return cfg, nil
}

func printAgentInfo(m *Meta, cfg *agent.Config, a *agent.Agent) {
	nodeID := ""
	if cl := a.Client(); cl != nil {
		nodeID = cl.NodeID()
	}
	m.Outputf("==> Drover agent configuration:\n")
	rows := [][2]string{
		{"Bind Addrs", fmt.Sprintf("HTTP: [%s]; RPC: %s", a.HTTPAddr(), cfg.RPCAddr())},
		{"Client", fmt.Sprint(cfg.Client.Enabled)},
		{"Log Level", strings.ToUpper(cfg.LogLevel)},
		{"Node Id", nodeID},
		{"Region", fmt.Sprintf("%s (DC: %s)", cfg.Region, cfg.Datacenter)},
		{"Server", fmt.Sprint(cfg.Server.Enabled)},
		{"Version", Version},
	}
	for _, r := range rows {
		m.Outputf("%22s: %s", r[0], r[1])
	}
	m.Outputf("")
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }
