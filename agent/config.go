package agent

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Config is an agent's effective configuration after defaults, files and
// flags have been merged.
type Config struct {
	// NodeName names the agent (server name in Raft, client node name).
	NodeName string
	// Region and Datacenter place the agent.
	Region     string
	Datacenter string
	// DataDir holds all persistent state; empty only in -dev.
	DataDir string
	// BindAddr is the address every listener binds to.
	BindAddr string
	// Advertise overrides the addresses other agents reach this one at.
	Advertise Advertise
	// Ports are the HTTP, RPC and Serf ports.
	Ports Ports
	// LogLevel is trace, debug, info, warn or error.
	LogLevel string
	// DevMode runs an in-memory server and a client in one process.
	DevMode bool
	// Server configures the server role.
	Server ServerConfig
	// Client configures the client role.
	Client ClientConfig
	// LeaveOnInterrupt and LeaveOnTerminate make a server leave the cluster
	// gracefully on SIGINT or SIGTERM instead of just stopping.
	LeaveOnInterrupt bool
	LeaveOnTerminate bool
	// EnableDebug serves Go profiles at /debug/pprof/ (on in -dev).
	EnableDebug bool
	// Plugins holds per-driver plugin blocks by driver name.
	Plugins map[string]PluginConfig
	// Autopilot overrides the server's autopilot defaults.
	Autopilot AutopilotConfig
}

// Ports are the agent's listening ports.
type Ports struct {
	HTTP int
	RPC  int
	Serf int
}

// ServerConfig configures the server role.
type ServerConfig struct {
	Enabled         bool
	BootstrapExpect int
	NumSchedulers   int
	// EncryptKey encrypts gossip between servers (AES, 16/24/32 bytes).
	EncryptKey []byte
	// RetryJoin are other servers' serf addresses (host[:port]) to join.
	RetryJoin []string
	// RetryInterval and RetryMax pace the joins (RetryMax 0 = forever).
	RetryInterval time.Duration
	RetryMax      int
	// MinHeartbeatTTL and HeartbeatGrace override the server's heartbeat
	// defaults (min_heartbeat_ttl, heartbeat_grace) when positive: the
	// shortest TTL handed to clients, and the slack after it before a node
	// is marked down. Lower them to detect lost clients sooner.
	MinHeartbeatTTL time.Duration
	HeartbeatGrace  time.Duration
}

// ClientConfig configures the client role.
type ClientConfig struct {
	Enabled   bool
	NodeClass string
	NodePool  string
	Meta      map[string]string
	// AllocDir holds allocation directories; default <data_dir>/alloc.
	AllocDir string
	// Servers are the servers' RPC addresses (host:port, port 4647 when
	// left out) for a client that runs without a local server.
	Servers []string
	// Options are Nomad's free-form client options, kept as given; none is
	// interpreted yet.
	Options map[string]string
}

// PluginConfig enables and configures a task driver.
type PluginConfig struct {
	// Enabled is the driver's config "enabled" flag where the driver has one
	// (raw_exec: off by default outside -dev).
	Enabled bool
	Config  map[string]interface{}
}

// Nomad's default ports; addresses given without a port get these.
const (
	defaultHTTPPort = 4646
	defaultRPCPort  = 4647
	defaultSerfPort = 4648
)

// DefaultConfig returns a non-dev agent's defaults.
func DefaultConfig() *Config {
	host, _ := os.Hostname()
	if host == "" {
		host = "drover"
	}
	return &Config{
		NodeName:   host,
		Region:     "global",
		Datacenter: "dc1",
		BindAddr:   "0.0.0.0",
		Ports:      Ports{HTTP: defaultHTTPPort, RPC: defaultRPCPort, Serf: defaultSerfPort},
		LogLevel:   "info",
		Server:     ServerConfig{NumSchedulers: 2},
		// exec is on by default, as in Nomad; it reports itself unhealthy
		// where it cannot isolate (not root, no cgroups).
		Plugins: map[string]PluginConfig{"exec": {Enabled: true}},
	}
}

// DevConfig returns -dev defaults: server and client on 127.0.0.1, state in
// memory, raw_exec enabled.
func DevConfig() *Config {
	c := DefaultConfig()
	c.DevMode = true
	c.EnableDebug = true
	c.BindAddr = "127.0.0.1"
	c.LogLevel = "debug"
	c.Server.Enabled = true
	c.Server.BootstrapExpect = 1
	c.Client.Enabled = true
	c.Plugins["raw_exec"] = PluginConfig{Enabled: true}
	return c
}

// Validate reports every problem with the configuration.
func (c *Config) Validate() error {
	var errs []error
	if !c.Server.Enabled && !c.Client.Enabled {
		errs = append(errs, errors.New("must enable the server, the client, or both (-dev)"))
	}
	if !c.DevMode && c.DataDir == "" {
		errs = append(errs, errors.New("data_dir is required outside -dev"))
	}
	if c.DataDir != "" && !filepath.IsAbs(c.DataDir) {
		errs = append(errs, fmt.Errorf("data_dir %q must be an absolute path", c.DataDir))
	}
	if net.ParseIP(c.BindAddr) == nil {
		errs = append(errs, fmt.Errorf("bind_addr %q is not an IP address", c.BindAddr))
	}
	for name, p := range map[string]int{"http": c.Ports.HTTP, "rpc": c.Ports.RPC, "serf": c.Ports.Serf} {
		if p < 0 || p > 65535 {
			errs = append(errs, fmt.Errorf("ports.%s %d is out of range", name, p))
		}
	}
	if !validLogLevel(c.LogLevel) {
		errs = append(errs, fmt.Errorf("log_level %q is invalid (trace, debug, info, warn, error)", c.LogLevel))
	}
	if c.Client.Enabled && !c.Server.Enabled && len(c.Client.Servers) == 0 {
		errs = append(errs, errors.New("client.servers is required for a client without a local server"))
	}
	if c.Server.Enabled && !c.DevMode && c.Server.BootstrapExpect < 1 {
		errs = append(errs, fmt.Errorf("server.bootstrap_expect = %d: must be at least 1", c.Server.BootstrapExpect))
	}
	if c.Server.Enabled && c.DevMode && c.Server.BootstrapExpect > 1 {
		errs = append(errs, errors.New("-dev runs a single server; bootstrap_expect must be 1"))
	}
	return errors.Join(errs...)
}

func validLogLevel(l string) bool {
	switch strings.ToLower(l) {
	case "trace", "debug", "info", "warn", "error":
		return true
	}
	return false
}

// SerfAddr is the address the servers' gossip listens on.
func (c *Config) SerfAddr() string { return net.JoinHostPort(c.BindAddr, strconv.Itoa(c.Ports.Serf)) }

// HTTPAddr is the address the HTTP API listens on.
func (c *Config) HTTPAddr() string { return net.JoinHostPort(c.BindAddr, strconv.Itoa(c.Ports.HTTP)) }

// RPCAddr is the address Raft (and later RPC) listens on.
func (c *Config) RPCAddr() string { return net.JoinHostPort(c.BindAddr, strconv.Itoa(c.Ports.RPC)) }

// EnabledDrivers lists the drivers turned on, sorted.
func (c *Config) EnabledDrivers() []string {
	var out []string
	for name, p := range c.Plugins {
		if p.Enabled {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}
