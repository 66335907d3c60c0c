package sim

import (
	"context"
	"errors"
	"sync"

	"github.com/drover-project/drover/agent/rpcclient"
)

// Sim is a running simulation.
type Sim struct {
	cfg   *Config
	Stats Stats

	conns []*rpcclient.Servers
	wg    sync.WaitGroup
}

// New validates cfg and prepares the nodes' connections.
func New(cfg *Config) (*Sim, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Sim{cfg: cfg}
	for i := 0; i < (cfg.Nodes+cfg.NodesPerConn-1)/cfg.NodesPerConn; i++ {
		c, err := rpcclient.New(cfg.Servers, cfg.Logger)
		if err != nil {
			s.close()
			return nil, err
		}
		s.conns = append(s.conns, c)
	}
	return s, nil
}

// Run starts every node and blocks until ctx ends. Nodes are not
// deregistered: they go down by heartbeat TTL, as real ones would.
func (s *Sim) Run(ctx context.Context) error {
	for i := 0; i < s.cfg.Nodes; i++ {
		n := newNode(i, s.cfg, s.conns[i/s.cfg.NodesPerConn], &s.Stats)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			n.run(ctx)
		}()
	}
	<-ctx.Done()
	s.wg.Wait()
	return errors.Join(s.close())
}

func (s *Sim) close() error {
	var errs []error
	for _, c := range s.conns {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}
