package agent

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"strconv"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/agent/client"
	"github.com/drover-project/drover/agent/httpapi"
	"github.com/drover-project/drover/agent/server"
)

// Version is the agent's version, reported as nomad.version and in agent self.
const Version = "0.1.0"

// Agent is one running Drover process.
type Agent struct {
	config *Config
	logger hclog.Logger

	server       *server.Server
	client       *client.Client
	clientCancel context.CancelFunc
	clientDone   chan struct{}
	// tmpDataDir is the -dev client's temporary data dir, removed on exit.
	tmpDataDir string
	// closers release what the roles opened (RPC connections), last.
	closers []func() error

	httpSrv  *http.Server
	httpLn   net.Listener
	httpDone chan struct{}
}

// New validates cfg and starts the agent's roles: the server (waiting for a
// leader in -dev), then the client, then the HTTP API. On error everything
// started so far is stopped again.
func New(cfg *Config, logOutput io.Writer) (*Agent, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("invalid agent configuration: %w", err)
	}
	a := &Agent{
		config: cfg,
		logger: hclog.New(&hclog.LoggerOptions{
			Name: "agent", Level: hclog.LevelFromString(cfg.LogLevel), Output: logOutput,
		}),
	}
	// Bind the HTTP port first: a port clash should fail fast, before Raft
	// state is created.
	ln, err := net.Listen("tcp", cfg.HTTPAddr())
	if err != nil {
		return nil, fmt.Errorf("http listener: %w", err)
	}
	a.httpLn = ln
	if err := a.start(); err != nil {
		_ = a.Shutdown()
		return nil, err
	}
	return a, nil
}

func (a *Agent) start() error {
	if a.config.Server.Enabled {
		if err := a.startServer(); err != nil {
			return err
		}
	}
	if a.config.Client.Enabled {
		if err := a.startClient(); err != nil {
			return err
		}
	}
	if a.server == nil {
		// The HTTP API reads the local server's state; a client-only agent
		// has none yet (forwarding to servers comes with clustering).
		a.logger.Warn("client-only agent: the HTTP API is served by the servers; this agent serves none")
		err := a.httpLn.Close()
		a.httpLn = nil
		return err
	}
	a.startHTTP()
	return nil
}

func (a *Agent) startServer() error {
	var err error
	sc := server.DefaultConfig()
	sc.NodeName = a.config.NodeName
	if a.config.DevMode {
		sc.NodeName = a.config.NodeName + "." + a.config.Region
	}
	sc.Region = a.config.Region
	sc.Datacenter = a.config.Datacenter
	sc.DataDir = a.config.DataDir
	sc.DevMode = a.config.DevMode
	sc.RaftAddr = a.config.RPCAddr()
	sc.NumSchedulers = a.config.Server.NumSchedulers
	sc.SerfAddr = a.config.SerfAddr()
	if !a.config.DevMode {
		if sc.RPCAdvertise, err = a.config.advertiseAddr(a.config.Advertise.RPC, a.config.Ports.RPC); err != nil {
			return err
		}
		if sc.SerfAdvertise, err = a.config.advertiseAddr(a.config.Advertise.Serf, a.config.Ports.Serf); err != nil {
			return err
		}
	}
	sc.BootstrapExpect = a.config.Server.BootstrapExpect
	sc.GossipKey = a.config.Server.EncryptKey
	sc.Build = Version
	sc.RetryJoin = withPorts(a.config.Server.RetryJoin, defaultSerfPort)
	if a.config.Server.RetryInterval > 0 {
		sc.RetryInterval = a.config.Server.RetryInterval
	}
	sc.RetryMax = a.config.Server.RetryMax
	if a.config.Server.MinHeartbeatTTL > 0 {
		sc.MinHeartbeatTTL = a.config.Server.MinHeartbeatTTL
	}
	if a.config.Server.HeartbeatGrace > 0 {
		sc.HeartbeatGrace = a.config.Server.HeartbeatGrace
	}
	validators, err := driverValidators(a.logger)
	if err != nil {
		return err
	}
	sc.Drivers = validators
	a.config.Autopilot.apply(&sc.Autopilot)
	sc.Logger = a.logger
	srv, err := server.New(sc)
	if err != nil {
		return fmt.Errorf("starting server: %w", err)
	}
	a.server = srv
	if !a.config.DevMode {
		// A cluster server waits for its peers as long as it takes.
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return srv.WaitForLeader(ctx)
}

// Server returns the server role (nil when not enabled).
func (a *Agent) Server() *server.Server { return a.server }

// Client returns the client role (nil when not enabled).
func (a *Agent) Client() *client.Client { return a.client }

func (a *Agent) startHTTP() {
	var cl httpapi.Client
	if a.client != nil {
		cl = a.client
	}
	handler := httpapi.NewHandler(httpapi.Config{
		Server:  a.server,
		Client:  cl,
		Logger:  a.logger.Named("http"),
		Self:    a.self,
		Members: a.members,
		Join:    a.join,
	})
	if a.config.EnableDebug {
		handler = withPprof(handler)
	}
	a.httpSrv = &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	a.httpDone = make(chan struct{})
	go func() {
		defer close(a.httpDone)
		if err := a.httpSrv.Serve(a.httpLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.logger.Error("http server failed", "error", err)
		}
	}()
	a.logger.Info("http api listening", "address", a.httpLn.Addr().String())
}

// HTTPAddr returns the address the HTTP API listens on.
// It is empty for a client-only agent, which serves no HTTP API yet.
func (a *Agent) HTTPAddr() string {
	if a.httpLn == nil {
		return ""
	}
	return a.httpLn.Addr().String()
}

func (a *Agent) self() httpapi.AgentSelf {
	host, portStr, _ := net.SplitHostPort(a.HTTPAddr())
	port, _ := strconv.Atoi(portStr)
	return httpapi.AgentSelf{
		Config: map[string]interface{}{
			"NodeName":   a.config.NodeName,
			"Region":     a.config.Region,
			"Datacenter": a.config.Datacenter,
			"DataDir":    a.config.DataDir,
			"BindAddr":   a.config.BindAddr,
			"Version":    map[string]interface{}{"Version": Version, "VersionPrerelease": "", "Revision": ""},
			"DevMode":    a.config.DevMode,
			"Server":     map[string]interface{}{"Enabled": a.config.Server.Enabled, "BootstrapExpect": a.config.Server.BootstrapExpect},
			"Client":     map[string]interface{}{"Enabled": a.config.Client.Enabled},
			"Ports":      map[string]interface{}{"HTTP": a.config.Ports.HTTP, "RPC": a.config.Ports.RPC, "Serf": a.config.Ports.Serf},
		},
		Member: httpapi.AgentMember{
			Name: a.config.NodeName + "." + a.config.Region, Addr: host, Port: uint16(port), Status: "alive",
			Tags: map[string]string{"region": a.config.Region, "dc": a.config.Datacenter, "build": Version,
				"role": "nomad", "raft_vsn": "3"},
		},
	}
}

// Leave leaves the cluster gracefully (leave_on_interrupt/leave_on_terminate):
// a leading server hands off leadership and every server announces its
// leave so the others drop it from Raft. Call it before Shutdown.
func (a *Agent) Leave() error {
	if a.server == nil {
		return nil
	}
	return a.server.Leave()
}

// members lists the server gossip pool in Nomad's member shape.
func (a *Agent) members() []httpapi.AgentMember {
	var out []httpapi.AgentMember
	for _, m := range a.server.Members() {
		_, rpcPort, _ := net.SplitHostPort(m.RaftAddr)
		out = append(out, httpapi.AgentMember{
			Name: m.Name + "." + m.Region, Addr: m.Addr, Port: m.Port, Status: m.Status,
			Tags: map[string]string{"region": m.Region, "dc": m.Datacenter, "build": m.Build,
				"port": rpcPort, "role": "nomad", "raft_vsn": "3", "expect": strconv.Itoa(m.Expect)},
		})
	}
	return out
}

func (a *Agent) join(addrs []string) (int, error) {
	return a.server.Join(withPorts(addrs, defaultSerfPort))
}

// Shutdown stops the HTTP API, the client (stopping its tasks in -dev) and
// the server, in that order.
func (a *Agent) Shutdown() error {
	var errs []error
	if a.httpSrv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		errs = append(errs, a.httpSrv.Shutdown(ctx))
		cancel()
		<-a.httpDone
	} else if a.httpLn != nil {
		errs = append(errs, a.httpLn.Close())
	}
	if a.client != nil {
		errs = append(errs, a.stopClient())
	}
	if a.server != nil {
		errs = append(errs, a.server.Shutdown())
	}
	for _, c := range a.closers {
		errs = append(errs, c())
	}
	return errors.Join(errs...)
}

// withPprof serves Go's profiles under /debug/pprof/ beside the API
// (enable_debug, as in Nomad; on in -dev).
func withPprof(api http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.Handle("/", api)
	return mux
}
