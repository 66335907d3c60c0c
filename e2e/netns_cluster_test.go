package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/drover-project/drover/api"
	"github.com/drover-project/drover/jobspec"
	"github.com/drover-project/drover/structs"
)

// nsCluster is servers and clients, each `drover agent` in its own network
// namespace on one netnsNet switch, with data dirs that outlive their
// processes so any agent can be stopped, killed, restarted or cut off.
type nsCluster struct {
	t       *testing.T
	bin     string
	net     *netnsNet
	dir     string
	servers []*nsAgent
	clients []*nsAgent
	// byIP finds the agent that owns an address, for dialing.
	byIP map[string]*nsAgent
	http *http.Client
}

// nsAgent is one agent: its namespace, address, files and current process.
type nsAgent struct {
	c       *nsCluster
	name    string // s0, c1: also the switch end of its cable
	ns      string
	ip      string
	server  bool
	cfgPath string
	logPath string
	dataDir string
	cmd     *exec.Cmd
	exited  chan struct{} // closed when cmd has been waited for
	api     *api.Client
}

// Server and client settings the scenarios share: heartbeats short enough
// that a lost client is noticed in seconds (TTL 3 s + grace 3 s), yet long
// enough that a leader election (about 1.5–2 s on this 2-core machine) and
// the clients finding the new leader fit inside one TTL with margin.
const (
	nsHeartbeatTTL   = 3 * time.Second
	nsHeartbeatGrace = 3 * time.Second
)

// newNSCluster creates the namespaces, writes every agent's config, starts
// all agents and waits until the servers agree on a leader with all servers
// as Raft peers and every client node is ready. Everything is stopped and
// removed in t.Cleanup, also when the test fails.
func newNSCluster(t *testing.T, servers, clients int) *nsCluster {
	t.Helper()
	bin := droverBinary(t)
	n := newNetnsNet(t)
	c := &nsCluster{t: t, bin: bin, net: n, dir: t.TempDir(), byIP: map[string]*nsAgent{}}
	c.http = &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			DialContext:       c.dial,
			DisableKeepAlives: true, // agents come and go; never reuse a dead connection
		},
	}
	for i := 0; i < servers; i++ {
		c.servers = append(c.servers, c.newAgent(fmt.Sprintf("s%d", i), fmt.Sprintf("%s.%d.%d", netnsSubnet, n.run, 10+i), true))
	}
	for i := 0; i < clients; i++ {
		c.clients = append(c.clients, c.newAgent(fmt.Sprintf("c%d", i), fmt.Sprintf("%s.%d.%d", netnsSubnet, n.run, 100+i), false))
	}
	for _, a := range c.servers {
		c.writeConfig(a)
	}
	for _, a := range c.clients {
		c.writeConfig(a)
	}
	// Registered after newNetnsNet's cleanup, so it runs before it: agents
	// get a chance to stop cleanly before their namespaces are torn down.
	t.Cleanup(c.shutdown)
	// Servers first: a client's first RPC may otherwise reach a server
	// still setting up Raft (see TestNetnsFullRestart, which starts
	// everything at once on purpose).
	for _, a := range c.servers {
		a.start()
	}
	c.waitHealthy(60 * time.Second)
	for _, a := range c.clients {
		a.start()
	}
	c.waitHealthy(60 * time.Second)
	return c
}

func (c *nsCluster) newAgent(name, ip string, server bool) *nsAgent {
	c.t.Helper()
	a := &nsAgent{
		c: c, name: name, ip: ip, server: server,
		ns:      c.net.attach(name, ip),
		cfgPath: filepath.Join(c.dir, name+".hcl"),
		logPath: filepath.Join(c.dir, name+".log"),
		dataDir: filepath.Join(c.dir, name),
	}
	cl, err := api.NewClient(&api.Config{Address: "http://" + net.JoinHostPort(ip, "4646"), HTTPClient: c.http})
	if err != nil {
		c.t.Fatal(err)
	}
	a.api = cl
	c.byIP[ip] = a
	return a
}

// writeConfig writes a's agent file: default ports on its own address,
// servers joining each other by gossip, clients given every server's RPC
// address.
func (c *nsCluster) writeConfig(a *nsAgent) {
	c.t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "name = %q\ndata_dir = %q\nbind_addr = %q\nlog_level = \"debug\"\n", a.name, a.dataDir, a.ip)
	if a.server {
		var joins []string
		for _, o := range c.servers {
			if o != a {
				joins = append(joins, fmt.Sprintf("%q", o.ip))
			}
		}
		fmt.Fprintf(&b, `server {
  enabled           = true
  bootstrap_expect  = %d
  min_heartbeat_ttl = %q
  heartbeat_grace   = %q
  server_join {
    retry_join     = [%s]
    retry_interval = "1s"
  }
}
`, len(c.servers), nsHeartbeatTTL.String(), nsHeartbeatGrace.String(), strings.Join(joins, ", "))
	} else {
		var rpcs []string
		for _, s := range c.servers {
			rpcs = append(rpcs, fmt.Sprintf("%q", net.JoinHostPort(s.ip, "4647")))
		}
		fmt.Fprintf(&b, `client {
  enabled = true
  servers = [%s]
}
plugin "raw_exec" {
  config {
    enabled = true
  }
}
`, strings.Join(rpcs, ", "))
	}
	if err := os.WriteFile(a.cfgPath, []byte(b.String()), 0o644); err != nil {
		c.t.Fatal(err)
	}
}

// dial is the HTTP transport's dialer: it connects from inside the
// namespace of the agent that owns the address, so the request reaches it
// even while its cable is cut.
func (c *nsCluster) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	a, ok := c.byIP[host]
	if !ok {
		return nil, fmt.Errorf("dial %s: no agent of this test has that address", addr)
	}
	return dialInNetns(ctx, a.ns, network, addr)
}

func (c *nsCluster) all() []*nsAgent {
	return append(append([]*nsAgent(nil), c.servers...), c.clients...)
}

// shutdown stops every agent still running (SIGINT, then SIGKILL) and, when
// the test failed, logs the tail of every agent's log.
func (c *nsCluster) shutdown() {
	for _, a := range c.all() {
		a.stop()
	}
	if c.t.Failed() {
		for _, a := range c.all() {
			b, _ := os.ReadFile(a.logPath)
			const keep = 48 << 10
			if len(b) > keep {
				b = b[len(b)-keep:]
			}
			c.t.Logf("---- %s log (tail):\n%s", a.name, b)
		}
	}
}

// start runs the agent's process in its namespace; its output is appended
// to its log file.
func (a *nsAgent) start() {
	a.c.t.Helper()
	if a.running() {
		a.c.t.Fatalf("%s: already running", a.name)
	}
	logf, err := os.OpenFile(a.logPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		a.c.t.Fatal(err)
	}
	defer logf.Close()
	fmt.Fprintf(logf, "==== start %s\n", time.Now().Format(time.RFC3339Nano))
	// `ip netns exec` execs the agent in place, so a.cmd.Process is the
	// agent itself and signals reach it directly.
	a.cmd = exec.Command("ip", "netns", "exec", a.ns, a.c.bin, "agent", "-config", a.cfgPath)
	a.cmd.Dir = a.c.dir
	a.cmd.Stdout, a.cmd.Stderr = logf, logf
	if err := a.cmd.Start(); err != nil {
		a.c.t.Fatalf("starting %s: %v", a.name, err)
	}
	exited := make(chan struct{})
	a.exited = exited
	go func(cmd *exec.Cmd) { _ = cmd.Wait(); close(exited) }(a.cmd)
}

func (a *nsAgent) running() bool {
	if a.exited == nil {
		return false
	}
	select {
	case <-a.exited:
		return false
	default:
		return true
	}
}

// kill SIGKILLs the agent: no shutdown code runs. Its task supervisors and
// tasks, if any, keep running.
func (a *nsAgent) kill() {
	if !a.running() {
		return
	}
	_ = a.cmd.Process.Signal(syscall.SIGKILL)
	<-a.exited
}

// stop sends SIGINT and waits up to 20 s for the agent to exit, then kills it.
func (a *nsAgent) stop() {
	if !a.running() {
		return
	}
	_ = a.cmd.Process.Signal(os.Interrupt)
	select {
	case <-a.exited:
	case <-time.After(20 * time.Second):
		a.c.t.Errorf("%s did not exit within 20s of SIGINT; killing it", a.name)
		a.kill()
	}
}

// rpcAddr is the address servers report as leader and peers.
func (a *nsAgent) rpcAddr() string { return net.JoinHostPort(a.ip, "4647") }

// getJSON GETs path from a's HTTP API into out.
func (a *nsAgent) getJSON(path string, out interface{}) error {
	resp, err := a.c.http.Get("http://" + net.JoinHostPort(a.ip, "4646") + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s from %s: %s", path, a.name, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// leader returns the server that every one of live reports as leader, or
// an error when one has none or they disagree.
func (c *nsCluster) leader(live []*nsAgent) (*nsAgent, error) {
	var addr string
	for _, s := range live {
		l, err := s.api.Status().Leader()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
		if l == "" || (addr != "" && l != addr) {
			return nil, fmt.Errorf("%s sees leader %q, others %q", s.name, l, addr)
		}
		addr = l
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("leader address %q: %w", addr, err)
	}
	a, ok := c.byIP[host]
	if !ok || !a.server {
		return nil, fmt.Errorf("leader %s is none of the servers", addr)
	}
	return a, nil
}

// waitHealthy waits until every running server agrees on one leader and
// lists all servers as Raft peers, and every running client's node is ready.
func (c *nsCluster) waitHealthy(timeout time.Duration) *nsAgent {
	c.t.Helper()
	var leader *nsAgent
	waitFor(c.t, timeout, func() error {
		if err := c.checkExited(); err != nil {
			c.t.Fatal(err) // waiting longer is pointless
		}
		var live []*nsAgent
		for _, s := range c.servers {
			if s.running() {
				live = append(live, s)
			}
		}
		var err error
		if leader, err = c.leader(live); err != nil {
			return err
		}
		for _, s := range live {
			var peers []string
			if err := s.getJSON("/v1/status/peers", &peers); err != nil {
				return err
			}
			if len(peers) != len(c.servers) {
				return fmt.Errorf("%s has peers %v", s.name, peers)
			}
		}
		nodes, _, err := leader.api.Nodes().List(nil)
		if err != nil {
			return err
		}
		ready := map[string]bool{}
		for _, n := range nodes {
			ready[n.Name] = n.Status == structs.NodeStatusReady
		}
		for _, cl := range c.clients {
			if cl.running() && !ready[cl.name] {
				return fmt.Errorf("node %s is not ready: %+v", cl.name, nodes)
			}
		}
		return nil
	})
	return leader
}

// checkExited reports an agent that exited although the test did not stop
// it: waiting on it any longer is pointless.
func (c *nsCluster) checkExited() error {
	for _, a := range c.all() {
		if a.exited != nil && !a.running() && a.cmd.ProcessState != nil && !a.cmd.ProcessState.Success() &&
			!isSignalled(a.cmd.ProcessState) {
			return fmt.Errorf("agent %s exited: %s", a.name, a.cmd.ProcessState)
		}
	}
	return nil
}

func isSignalled(ps *os.ProcessState) bool {
	ws, ok := ps.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled()
}

// others returns the servers other than a.
func (c *nsCluster) others(a *nsAgent) []*nsAgent {
	var out []*nsAgent
	for _, s := range c.servers {
		if s != a {
			out = append(out, s)
		}
	}
	return out
}

// sleepJob is a service job of count raw_exec `/bin/sleep` tasks with small
// resources, parsed from HCL as `job run` would.
func sleepJob(t testing.TB, id string, count int) *structs.Job {
	t.Helper()
	src := fmt.Sprintf(`job %q {
  group "g" {
    count = %d
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["600"]
      }
      resources {
        cpu    = 10
        memory = 16
      }
    }
  }
}
`, id, count)
	job, err := jobspec.Parse(id+".hcl", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return job
}

// register submits job through via and fails the test on error.
func (c *nsCluster) register(via *nsAgent, job *structs.Job) {
	c.t.Helper()
	if _, err := via.api.Jobs().Register(job, nil); err != nil {
		c.t.Fatalf("registering %s via %s: %v", job.ID, via.name, err)
	}
}

// runningAllocs returns job's allocations that are meant to run, and an
// error unless exactly want of them are running.
func runningAllocs(via *nsAgent, jobID string, want int) ([]*structs.AllocListStub, error) {
	allocs, _, err := via.api.Jobs().Allocations(jobID, false, nil)
	if err != nil {
		return nil, err
	}
	var run []*structs.AllocListStub
	for _, a := range allocs {
		if a.DesiredStatus == structs.AllocDesiredStatusRun && a.ClientStatus == structs.AllocClientStatusRunning {
			run = append(run, a)
		}
	}
	if len(run) != want {
		return run, fmt.Errorf("job %s via %s: %d of %d allocations running: %s", jobID, via.name, len(run), want, describeAllocs(allocs))
	}
	return run, nil
}

func describeAllocs(allocs []*structs.AllocListStub) string {
	var parts []string
	for _, a := range allocs {
		parts = append(parts, fmt.Sprintf("%s@%s %s/%s", a.ID[:8], a.NodeName, a.DesiredStatus, a.ClientStatus))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func allocIDs(allocs []*structs.AllocListStub) []string {
	var ids []string
	for _, a := range allocs {
		ids = append(ids, a.ID)
	}
	sort.Strings(ids)
	return ids
}

// jobIDs lists the IDs of the jobs via's state holds.
func jobIDs(via *nsAgent) (map[string]bool, error) {
	jobs, _, err := via.api.Jobs().List(nil)
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, j := range jobs {
		ids[j.ID] = true
	}
	return ids, nil
}

// stopJobs deregisters the jobs through a live server and waits until none
// of their allocations runs, so no task outlives the test (the namespace
// cleanup kills any left behind as a last resort).
func (c *nsCluster) stopJobs(ids ...string) {
	c.t.Helper()
	var via *nsAgent
	for _, s := range c.servers {
		if s.running() {
			via = s
			break
		}
	}
	if via == nil {
		c.t.Fatal("no server running to stop the jobs")
	}
	for _, id := range ids {
		if _, err := via.api.Jobs().Deregister(id, false, nil); err != nil {
			c.t.Errorf("stopping job %s: %v", id, err)
		}
	}
	waitFor(c.t, 30*time.Second, func() error {
		for _, id := range ids {
			allocs, _, err := via.api.Jobs().Allocations(id, false, nil)
			if err != nil {
				return err
			}
			for _, a := range allocs {
				if a.ClientStatus == structs.AllocClientStatusRunning || a.ClientStatus == structs.AllocClientStatusPending {
					return fmt.Errorf("job %s still has live allocations: %s", id, describeAllocs(allocs))
				}
			}
		}
		return nil
	})
}

// median returns the median of ds (the mean of the middle two for an even
// count).
func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
