package client

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/structs"
)

// Config configures a Client. New fills in the defaults of unset optional
// fields; Config is not modified after New returns.
type Config struct {
	// DataDir holds the client's persistent state (DataDir/client/node-id).
	// Required.
	DataDir string
	// AllocDir is where allocation directories are created. Defaults to
	// DataDir/alloc.
	AllocDir string
	// NodeName is the node's name. Defaults to the hostname.
	NodeName string
	// Datacenter is the node's datacenter. Defaults to "dc1".
	Datacenter string
	// NodeClass is an optional class for grouping nodes.
	NodeClass string
	// NodePool is the node's pool. Defaults to "default".
	NodePool string
	// Region is the agent's region, used in task environments of jobs that
	// name none. Defaults to "global".
	Region string
	// Meta is user metadata of the node (${meta.X}).
	Meta map[string]string
	// HTTPAddr is the agent's advertised HTTP address ("ip:port").
	HTTPAddr string
	// NetworkIP is the node's IP address (unique.network.ip-address).
	NetworkIP string
	// Version is the agent's version, reported as nomad.version.
	Version string
	// Drivers are the enabled task drivers, by name. Required, may be
	// empty (the node then runs nothing).
	Drivers map[string]driver.Driver
	// Servers is how the client talks to the servers. Required.
	Servers ServerAPI
	// Logger receives the client's logs. Defaults to a null logger.
	Logger hclog.Logger
	// Clock tells time for timers, events and restart delays. Defaults to
	// the system clock.
	Clock Clock
	// HostEnv is the environment that tasks of unisolated drivers inherit.
	// Nil means the agent's own environment.
	HostEnv map[string]string
	// Reserved is held back from scheduling for the OS and the agent.
	// Nil reserves nothing.
	Reserved *structs.NodeReservedResources
	// CPUTotalCompute overrides the fingerprinted total CPU in MHz; needed
	// where the CPU frequency cannot be read.
	CPUTotalCompute int64
	// MemoryTotalMB overrides the fingerprinted memory in MB.
	MemoryTotalMB int64
	// HostRoot is the directory /proc, /sys and /etc are read from when
	// fingerprinting. Defaults to "/"; tests point it at fixtures.
	HostRoot string
	// StopTasksOnShutdown makes Shutdown kill all tasks (dev mode). By
	// default tasks keep running when the agent stops, as in Nomad.
	StopTasksOnShutdown bool
	// UpdateInterval is the shortest time between two allocation status
	// updates sent to the servers. Defaults to 200ms.
	UpdateInterval time.Duration
	// RetryInterval is the first wait after a failed server call; waits
	// double up to MaxRetryInterval. Defaults to 1s and 30s.
	RetryInterval    time.Duration
	MaxRetryInterval time.Duration
}

// DefaultConfig returns a Config with every default set. DataDir, Drivers
// and Servers still have to be filled in.
func DefaultConfig() *Config {
	c := &Config{}
	c.setDefaults()
	return c
}

func (c *Config) setDefaults() {
	if c.AllocDir == "" && c.DataDir != "" {
		c.AllocDir = filepath.Join(c.DataDir, "alloc")
	}
	if c.NodeName == "" {
		if h, err := os.Hostname(); err == nil {
			c.NodeName = h
		}
	}
	if c.Datacenter == "" {
		c.Datacenter = "dc1"
	}
	if c.NodePool == "" {
		c.NodePool = "default"
	}
	if c.Region == "" {
		c.Region = "global"
	}
	if c.Logger == nil {
		c.Logger = hclog.NewNullLogger()
	}
	if c.Clock == nil {
		c.Clock = SystemClock{}
	}
	if c.HostEnv == nil {
		c.HostEnv = environMap(os.Environ())
	}
	if c.HostRoot == "" {
		c.HostRoot = "/"
	}
	if c.UpdateInterval == 0 {
		c.UpdateInterval = 200 * time.Millisecond
	}
	if c.RetryInterval == 0 {
		c.RetryInterval = time.Second
	}
	if c.MaxRetryInterval == 0 {
		c.MaxRetryInterval = 30 * time.Second
	}
}

// Validate reports what is missing or wrong in the configuration.
func (c *Config) Validate() error {
	var errs []error
	if c.DataDir == "" {
		errs = append(errs, errors.New("data dir is required"))
	}
	if c.Servers == nil {
		errs = append(errs, errors.New("servers are required"))
	}
	if c.Drivers == nil {
		errs = append(errs, errors.New("drivers are required (an empty map enables none)"))
	}
	for name, d := range c.Drivers {
		if d == nil {
			errs = append(errs, fmt.Errorf("driver %q is nil", name))
		} else if d.Name() != name {
			errs = append(errs, fmt.Errorf("driver registered as %q calls itself %q", name, d.Name()))
		}
	}
	if c.UpdateInterval < 0 || c.RetryInterval < 0 || c.MaxRetryInterval < c.RetryInterval {
		errs = append(errs, errors.New("intervals must be positive and MaxRetryInterval >= RetryInterval"))
	}
	if c.CPUTotalCompute < 0 || c.MemoryTotalMB < 0 {
		errs = append(errs, errors.New("resource overrides must not be negative"))
	}
	return errors.Join(errs...)
}

func environMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}
