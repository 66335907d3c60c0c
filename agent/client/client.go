package client

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/agent/client/statedb"
	"github.com/drover-project/drover/structs"
)

// Client runs allocations on this machine for the servers.
type Client struct {
	cfg      Config
	logger   hclog.Logger
	clock    Clock
	nodeID   string
	secretID string
	syncer   *allocSyncer
	// db is the persistent state (state.db) the client restores from.
	db *statedb.DB
	// dbClose closes db once, at the end of Run or in a Shutdown without Run.
	dbClose sync.Once

	nodeMu sync.RWMutex
	node   *structs.Node
	ttl    int64 // last heartbeat TTL in nanoseconds, guarded by nodeMu

	allocMu sync.Mutex
	runners map[string]*allocRunner

	// taskCtx is cancelled when the client abandons its running tasks
	// (shutdown without stopping them).
	taskCtx    context.Context
	taskCancel context.CancelFunc

	shutdownOnce sync.Once
	shutdownCh   chan struct{}
	runMu        sync.Mutex
	runDone      chan struct{} // nil until Run starts
}

// New checks cfg, sets up the data directories, loads or creates the node
// ID and fingerprints the node. Nothing runs until Run.
func New(cfg *Config) (*Client, error) {
	if cfg == nil {
		return nil, fmt.Errorf("client: config is required")
	}
	c := &Client{cfg: *cfg, runners: make(map[string]*allocRunner), shutdownCh: make(chan struct{})}
	c.cfg.setDefaults()
	if err := c.cfg.Validate(); err != nil {
		return nil, fmt.Errorf("client: invalid config: %w", err)
	}
	c.logger = c.cfg.Logger
	c.clock = c.cfg.Clock
	stateDir := filepath.Join(c.cfg.DataDir, "client")
	for _, dir := range []string{stateDir, c.cfg.AllocDir} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("client: creating %s: %w", dir, err)
		}
	}
	var err error
	if c.nodeID, err = persistentID(stateDir, "node-id"); err != nil {
		return nil, fmt.Errorf("client: node id: %w", err)
	}
	if c.secretID, err = persistentID(stateDir, "secret-id"); err != nil {
		return nil, fmt.Errorf("client: secret id: %w", err)
	}
	if c.db, err = statedb.Open(filepath.Join(stateDir, "state.db")); err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	c.taskCtx, c.taskCancel = context.WithCancel(context.Background())
	c.syncer = newAllocSyncer(c.cfg.Servers, c.clock, c.logger, c.cfg.UpdateInterval, c.cfg.RetryInterval, c.cfg.MaxRetryInterval)
	c.node = c.fingerprint(context.Background())
	return c, nil
}

// NodeID returns the node's ID, stable across restarts.
func (c *Client) NodeID() string { return c.nodeID }

// Node returns a copy of the node as last registered.
func (c *Client) Node() *structs.Node {
	c.nodeMu.RLock()
	defer c.nodeMu.RUnlock()
	return c.node.Copy()
}

// LogFile returns the path of a task's current "stdout" or "stderr" log
// file, the newest of the rotated ones. It wraps
// structs.ErrNotFound when the allocation or task is not on this node.
func (c *Client) LogFile(allocID, task, logType string) (string, error) {
	if logType != "stdout" && logType != "stderr" {
		return "", structs.NewCodedError(http.StatusBadRequest, "log type must be \"stdout\" or \"stderr\", got %q", logType)
	}
	c.allocMu.Lock()
	ar, ok := c.runners[allocID]
	c.allocMu.Unlock()
	if !ok {
		return "", fmt.Errorf("allocation %s: %w", allocID, structs.ErrNotFound)
	}
	if !ar.hasTask(task) {
		return "", fmt.Errorf("task %q in allocation %s: %w", task, allocID, structs.ErrNotFound)
	}
	return currentLog(ar.dir, task, logType)
}

// Run registers the node and runs the client until ctx ends or Shutdown is
// called. When it returns, the client's loops have stopped and, with
// StopTasksOnShutdown, every task has been killed and reported.
func (c *Client) Run(ctx context.Context) {
	c.runMu.Lock()
	if c.runDone != nil {
		c.runMu.Unlock()
		return
	}
	c.runDone = make(chan struct{})
	c.runMu.Unlock()
	defer close(c.runDone)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-c.shutdownCh:
			cancel()
		case <-ctx.Done():
		}
	}()

	syncCtx, stopSync := context.WithCancel(context.Background())
	syncDone := make(chan struct{})
	go func() {
		defer close(syncDone)
		c.syncer.run(syncCtx)
	}()

	// Take back the tasks of a previous run before asking the servers
	// anything, so no allocation is started a second time.
	c.restore()
	var wg sync.WaitGroup
	if c.registerWithRetry(ctx) {
		wg.Add(2)
		go func() {
			defer wg.Done()
			c.heartbeatLoop(ctx)
		}()
		go func() {
			defer wg.Done()
			c.watchAllocs(ctx)
		}()
	}
	<-ctx.Done()
	wg.Wait()
	c.stopRunners()
	stopSync()
	<-syncDone
	c.closeDB()
	c.logger.Info("client stopped")
}

// Shutdown stops the client and waits for Run to return. Tasks keep
// running unless Config.StopTasksOnShutdown is set. It is safe to call more
// than once.
func (c *Client) Shutdown() error {
	c.shutdownOnce.Do(func() { close(c.shutdownCh) })
	c.runMu.Lock()
	done := c.runDone
	c.runMu.Unlock()
	if done != nil {
		<-done
		return nil
	}
	c.closeDB() // Run never ran
	return nil
}

// stopRunners kills every task (StopTasksOnShutdown) or abandons them, and
// waits until the runners have let go.
func (c *Client) stopRunners() {
	c.allocMu.Lock()
	runners := make([]*allocRunner, 0, len(c.runners))
	for _, ar := range c.runners {
		runners = append(runners, ar)
	}
	c.allocMu.Unlock()
	if c.cfg.StopTasksOnShutdown {
		for _, ar := range runners {
			ar.Stop()
		}
	} else {
		c.taskCancel()
	}
	for _, ar := range runners {
		<-ar.Done()
	}
}
