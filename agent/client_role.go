package agent

import (
	"context"
	"fmt"
	"net"
	"os"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/agent/client"
	"github.com/drover-project/drover/agent/rpcclient"
	"github.com/drover-project/drover/agent/server"
	"github.com/drover-project/drover/driver"
	execdriver "github.com/drover-project/drover/driver/exec"
	"github.com/drover-project/drover/driver/mock"
	"github.com/drover-project/drover/driver/rawexec"
)

// buildDrivers returns every driver this build has, by name, configured by
// their plugin blocks. execCfg is the exec driver's configuration.
func buildDrivers(logger hclog.Logger, execCfg execdriver.Config) (map[string]driver.Driver, error) {
	ex, err := execdriver.NewWithConfig(logger.Named("driver.exec"), execCfg)
	if err != nil {
		return nil, fmt.Errorf(`plugin "exec": %w`, err)
	}
	return map[string]driver.Driver{
		rawexec.Name:    rawexec.New(logger.Named("driver.raw_exec")),
		execdriver.Name: ex,
		mock.Name:       mock.New(),
	}, nil
}

// driverValidators lets the server check task driver configs at
// registration. Validation touches no driver state.
func driverValidators(logger hclog.Logger) (map[string]server.DriverValidator, error) {
	drivers, err := buildDrivers(logger, execdriver.DefaultConfig(execStateDir(os.TempDir())))
	if err != nil {
		return nil, err
	}
	out := map[string]server.DriverValidator{}
	for name, d := range drivers {
		out[name] = d
	}
	return out, nil
}

// startClient starts the client role against the in-process server. In
// -dev without a data_dir it works in a temporary directory removed on
// shutdown.
func (a *Agent) startClient() error {
	servers, err := a.serverAPI()
	if err != nil {
		return err
	}
	dataDir := a.config.DataDir
	if dataDir == "" {
		tmp, err := os.MkdirTemp("", "drover-dev-")
		if err != nil {
			return fmt.Errorf("client: creating a temporary data dir: %w", err)
		}
		a.tmpDataDir = tmp
		dataDir = tmp
	}
	execCfg, err := execConfig(dataDir, a.config.Plugins[execdriver.Name])
	if err != nil {
		return err
	}
	built, err := buildDrivers(a.logger, execCfg)
	if err != nil {
		return err
	}
	all, err := supervise(built, a.logger, dataDir, execCfg)
	if err != nil {
		return fmt.Errorf("client: %w", err)
	}
	enabled := map[string]driver.Driver{}
	for _, name := range a.config.EnabledDrivers() {
		d, ok := all[name]
		if !ok {
			return fmt.Errorf("plugin %q: no such driver in this build", name)
		}
		enabled[name] = d
	}
	httpAdv, err := a.config.advertiseAddr(a.config.Advertise.HTTP, a.config.Ports.HTTP)
	if err != nil {
		return err
	}
	ip, _, _ := net.SplitHostPort(httpAdv)
	cc := &client.Config{
		DataDir:             dataDir,
		AllocDir:            a.config.Client.AllocDir,
		NodeName:            a.config.NodeName,
		Datacenter:          a.config.Datacenter,
		NodeClass:           a.config.Client.NodeClass,
		NodePool:            a.config.Client.NodePool,
		Region:              a.config.Region,
		Meta:                a.config.Client.Meta,
		HTTPAddr:            httpAdv,
		NetworkIP:           ip,
		Version:             Version,
		Drivers:             enabled,
		Servers:             servers,
		Logger:              a.logger.Named("client"),
		StopTasksOnShutdown: a.config.DevMode,
	}
	c, err := client.New(cc)
	if err != nil {
		return fmt.Errorf("starting client: %w", err)
	}
	a.client = c
	ctx, cancel := context.WithCancel(context.Background())
	a.clientCancel = cancel
	a.clientDone = make(chan struct{})
	go func() {
		defer close(a.clientDone)
		c.Run(ctx)
	}()
	return nil
}

// serverAPI is how the client reaches the servers: in process when this
// agent is a server too, else over RPC to client.servers.
func (a *Agent) serverAPI() (client.ServerAPI, error) {
	if a.server != nil {
		return a.server, nil
	}
	rc, err := rpcclient.New(withPorts(a.config.Client.Servers, defaultRPCPort), a.logger)
	if err != nil {
		return nil, fmt.Errorf("client.servers: %w", err)
	}
	a.closers = append(a.closers, rc.Close)
	return rc, nil
}

func (a *Agent) stopClient() error {
	err := a.client.Shutdown()
	a.clientCancel()
	<-a.clientDone
	if a.tmpDataDir != "" {
		if rmErr := os.RemoveAll(a.tmpDataDir); rmErr != nil && err == nil {
			err = rmErr
		}
	}
	return err
}
