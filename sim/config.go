package sim

import (
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/go-hclog"
)

// Config configures a simulation.
type Config struct {
	// Servers are the servers' RPC addresses.
	Servers []string
	// Nodes is how many nodes to simulate.
	Nodes int
	// Datacenters are assigned to nodes round-robin.
	Datacenters []string
	// CPU (MHz) and MemoryMB are each node's capacity.
	CPU      int64
	MemoryMB int64
	// NodesPerConn is how many nodes share one RPC connection.
	NodesPerConn int
	// UpdateInterval is each node's shortest time between status reports.
	UpdateInterval time.Duration
	// Logger receives progress and errors.
	Logger hclog.Logger
}

// DefaultConfig returns a simulation of 100 nodes of 4000 MHz / 8 GB in dc1.
func DefaultConfig() *Config {
	return &Config{
		Nodes: 100, Datacenters: []string{"dc1"}, CPU: 4000, MemoryMB: 8192,
		NodesPerConn: 250, UpdateInterval: 200 * time.Millisecond, Logger: hclog.NewNullLogger(),
	}
}

// Validate reports every problem with the configuration.
func (c *Config) Validate() error {
	var errs []error
	if len(c.Servers) == 0 {
		errs = append(errs, errors.New("no servers"))
	}
	if c.Nodes < 1 {
		errs = append(errs, fmt.Errorf("nodes must be at least 1, got %d", c.Nodes))
	}
	if len(c.Datacenters) == 0 {
		errs = append(errs, errors.New("no datacenters"))
	}
	if c.CPU < 1 || c.MemoryMB < 1 {
		errs = append(errs, errors.New("cpu and memory must be positive"))
	}
	if c.NodesPerConn < 1 {
		errs = append(errs, errors.New("nodes per connection must be at least 1"))
	}
	if c.UpdateInterval <= 0 {
		errs = append(errs, errors.New("update interval must be positive"))
	}
	return errors.Join(errs...)
}
