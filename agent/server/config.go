package server

import (
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/go-hclog"
)

// Config configures a server. DefaultConfig gives working values; the agent
// fills in names, addresses and directories.
type Config struct {
	// NodeName names this server in Raft and in logs.
	NodeName string
	// Region and Datacenter are reported in agent self and used as defaults.
	Region     string
	Datacenter string
	// DataDir holds raft.db and snapshots. Empty with DevMode keeps Raft in
	// memory.
	DataDir string
	// DevMode runs a single in-memory server that elects itself at once.
	DevMode bool
	// RaftAddr is the RPC port's address (host:port): client RPC and Raft
	// share it. Empty only in DevMode, which then serves no remote clients.
	RaftAddr string
	// RPCAdvertise and SerfAdvertise are the addresses other servers reach
	// this one at (host:port); empty means the bound address, which must
	// then not be unspecified (0.0.0.0).
	RPCAdvertise  string
	SerfAdvertise string
	// SerfAddr is where the servers' gossip pool listens (host:port); empty
	// runs no gossip (dev mode, single server).
	SerfAddr string
	// GossipKey encrypts the servers' gossip (AES key of 16, 24 or 32
	// bytes); nil leaves it in the clear.
	GossipKey []byte
	// BootstrapExpect is how many servers must know each other before the
	// cluster bootstraps; 0 or 1 bootstraps this server alone.
	BootstrapExpect int
	// RetryJoin are serf addresses of servers to join at start.
	RetryJoin []string
	// RetryInterval and RetryMax pace RetryJoin (RetryMax 0 = forever).
	RetryInterval time.Duration
	RetryMax      int
	// Build is this server's version, gossiped to the others.
	Build string
	// NumSchedulers is how many scheduler workers run on the leader.
	NumSchedulers int
	// EvalNackTimeout is how long a worker may hold an eval without acking.
	EvalNackTimeout time.Duration
	// EvalDeliveryLimit is how often an eval is delivered before it fails.
	EvalDeliveryLimit int
	// MinHeartbeatTTL is the shortest heartbeat TTL handed to clients.
	MinHeartbeatTTL time.Duration
	// MaxHeartbeatsPerSecond bounds the heartbeat rate the TTL is sized for.
	MaxHeartbeatsPerSecond float64
	// HeartbeatGrace is added to a node's TTL before it is marked down.
	HeartbeatGrace time.Duration
	// Drivers are the task drivers this build has, by name; jobs naming
	// another driver, or a driver config the driver rejects, are refused at
	// registration. Nil skips driver checks.
	Drivers map[string]DriverValidator
	// Autopilot configures the leader's server health checks and dead
	// server cleanup.
	Autopilot AutopilotConfig
	// Logger receives the server's logs.
	Logger hclog.Logger
}

// DriverValidator checks a task's driver config without running anything.
type DriverValidator interface {
	ValidateConfig(config map[string]interface{}) error
}

// DefaultConfig returns Nomad-like defaults.
func DefaultConfig() *Config {
	return &Config{
		NodeName:               "server",
		Region:                 "global",
		Datacenter:             "dc1",
		NumSchedulers:          2,
		EvalNackTimeout:        60 * time.Second,
		EvalDeliveryLimit:      3,
		MinHeartbeatTTL:        10 * time.Second,
		MaxHeartbeatsPerSecond: 50,
		HeartbeatGrace:         10 * time.Second,
		RetryInterval:          30 * time.Second,
		Autopilot:              DefaultAutopilotConfig(),
		Logger:                 hclog.NewNullLogger(),
	}
}

// Validate reports every problem with the configuration.
func (c *Config) Validate() error {
	var errs []error
	if c.NodeName == "" {
		errs = append(errs, errors.New("server: node name is empty"))
	}
	if !c.DevMode && c.DataDir == "" {
		errs = append(errs, errors.New("server: data_dir is required outside -dev"))
	}
	if (!c.DevMode || c.DataDir != "") && c.RaftAddr == "" {
		errs = append(errs, errors.New("server: raft address is empty"))
	}
	if c.NumSchedulers < 1 {
		errs = append(errs, fmt.Errorf("server: num_schedulers must be at least 1, got %d", c.NumSchedulers))
	}
	if c.EvalNackTimeout <= 0 || c.MinHeartbeatTTL <= 0 || c.HeartbeatGrace < 0 {
		errs = append(errs, errors.New("server: timeouts must be positive"))
	}
	if c.BootstrapExpect > 1 && (c.DevMode || c.SerfAddr == "") {
		errs = append(errs, fmt.Errorf("server: bootstrap_expect = %d needs gossip (a serf address) and no -dev", c.BootstrapExpect))
	}
	if c.EvalDeliveryLimit < 1 {
		errs = append(errs, errors.New("server: eval delivery limit must be at least 1"))
	}
	if c.Logger == nil {
		errs = append(errs, errors.New("server: logger is nil"))
	}
	errs = append(errs, c.Autopilot.validate())
	return errors.Join(errs...)
}
