package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// clusterAgent is one non-dev agent process.
type clusterAgent struct {
	name            string
	http, rpc, serf int
	cmd             *exec.Cmd
	log             *lockedWriter
	cfgPath         string
}

func (c *clusterAgent) addr() string { return fmt.Sprintf("http://127.0.0.1:%d", c.http) }

func startClusterAgent(t *testing.T, bin string, c *clusterAgent) {
	t.Helper()
	c.cmd = exec.Command(bin, "agent", "-config", c.cfgPath)
	c.log = &lockedWriter{w: new(strings.Builder)}
	c.cmd.Stdout, c.cmd.Stderr = c.log, c.log
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
}

func (c *clusterAgent) kill() {
	if c.cmd != nil && c.cmd.Process != nil && c.cmd.ProcessState == nil {
		_ = c.cmd.Process.Signal(syscall.SIGKILL)
		_ = c.cmd.Wait()
	}
}

func getJSONFrom(addr, path string, out interface{}) error {
	resp, err := http.Get(addr + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET %s%s: %s", addr, path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// TestThreeServerCluster bootstraps three servers through encrypted gossip
// (bootstrap_expect = 3, retry_join, encrypt), takes writes on a follower, kills the
// leader with SIGKILL and checks a new leader is elected, nothing
// acknowledged is lost and new work still schedules.
func TestThreeServerCluster(t *testing.T) {
	bin := droverBinary(t)
	dir := t.TempDir()
	var servers []*clusterAgent
	for i := 0; i < 3; i++ {
		p := freePorts(t, 3)
		servers = append(servers, &clusterAgent{name: fmt.Sprintf("s%d", i), http: p[0], rpc: p[1], serf: p[2]})
	}
	for _, s := range servers {
		var joins []string
		for _, o := range servers {
			if o != s {
				joins = append(joins, fmt.Sprintf("%q", fmt.Sprintf("127.0.0.1:%d", o.serf)))
			}
		}
		cfg := fmt.Sprintf(`name = %q
data_dir = %q
bind_addr = "127.0.0.1"
log_level = "info"
ports {
  http = %d
  rpc  = %d
  serf = %d
}
server {
  enabled          = true
  bootstrap_expect = 3
  encrypt          = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
  server_join {
    retry_join     = [%s]
    retry_interval = "1s"
  }
}
`, s.name, filepath.Join(dir, s.name), s.http, s.rpc, s.serf, strings.Join(joins, ", "))
		s.cfgPath = filepath.Join(dir, s.name+".hcl")
		if err := os.WriteFile(s.cfgPath, []byte(cfg), 0o644); err != nil {
			t.Fatal(err)
		}
		startClusterAgent(t, bin, s)
	}
	defer func() {
		for _, s := range servers {
			s.kill()
			if t.Failed() {
				t.Logf("%s log:\n%s", s.name, s.log.String())
			}
		}
	}()

	leaderOf := func(live []*clusterAgent) (string, error) {
		var leader string
		for _, s := range live {
			var l string
			if err := getJSONFrom(s.addr(), "/v1/status/leader", &l); err != nil {
				return "", err
			}
			if l == "" || (leader != "" && l != leader) {
				return "", fmt.Errorf("%s sees leader %q", s.name, l)
			}
			leader = l
		}
		return leader, nil
	}
	var leader string
	waitFor(t, 30*time.Second, func() error {
		var err error
		if leader, err = leaderOf(servers); err != nil {
			return err
		}
		var peers []string
		if err := getJSONFrom(servers[0].addr(), "/v1/status/peers", &peers); err != nil {
			return err
		}
		if len(peers) != 3 {
			return fmt.Errorf("peers %v", peers)
		}
		return nil
	})

	// `server members` lists the pool with exactly one leader.
	membersCmd := exec.Command(bin, "server", "members")
	membersCmd.Env = append(os.Environ(), "DROVER_ADDR="+servers[1].addr())
	out, err := membersCmd.CombinedOutput()
	if err != nil {
		t.Fatalf("server members: %v\n%s", err, out)
	}
	if got := strings.Count(string(out), "alive"); got != 3 {
		t.Fatalf("server members shows %d alive servers:\n%s", got, out)
	}
	if got := strings.Count(string(out), "true"); got != 1 {
		t.Fatalf("server members shows %d leaders:\n%s", got, out)
	}

	// A client joins through all three servers' RPC addresses.
	cp := freePorts(t, 1)
	var rpcs []string
	for _, s := range servers {
		rpcs = append(rpcs, fmt.Sprintf("%q", fmt.Sprintf("127.0.0.1:%d", s.rpc)))
	}
	client := &clusterAgent{name: "c0", http: cp[0], cfgPath: filepath.Join(dir, "c0.hcl")}
	ccfg := fmt.Sprintf(`name = "c0"
data_dir = %q
bind_addr = "127.0.0.1"
ports {
  http = %d
}
client {
  enabled = true
  servers = [%s]
}
plugin "raw_exec" {
  config {
    enabled = true
  }
}
`, filepath.Join(dir, "c0"), client.http, strings.Join(rpcs, ", "))
	if err := os.WriteFile(client.cfgPath, []byte(ccfg), 0o644); err != nil {
		t.Fatal(err)
	}
	startClusterAgent(t, bin, client)
	defer func() {
		client.kill()
		if t.Failed() {
			t.Logf("client log:\n%s", client.log.String())
		}
	}()

	// Writes through a follower's HTTP API are forwarded to the leader.
	var follower, leaderAgent *clusterAgent
	for _, s := range servers {
		if leader == fmt.Sprintf("127.0.0.1:%d", s.rpc) {
			leaderAgent = s
		} else if follower == nil {
			follower = s
		}
	}
	if leaderAgent == nil {
		t.Fatalf("leader %s is none of the servers", leader)
	}
	jobDir := t.TempDir()
	writeJob := func(id string) string {
		p := filepath.Join(jobDir, id+".hcl")
		job := fmt.Sprintf(`job %q {
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["300"]
      }
      resources {
        cpu    = 10
        memory = 16
      }
    }
  }
}
`, id)
		if err := os.WriteFile(p, []byte(job), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	run := func(via *clusterAgent, id string) {
		t.Helper()
		cmd := exec.Command(bin, "job", "run", writeJob(id))
		cmd.Env = append(os.Environ(), "DROVER_ADDR="+via.addr())
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("job run %s via %s: %v\n%s", id, via.name, err, out)
		}
	}
	running := func(via *clusterAgent, id string) error {
		var allocs []allocStub
		if err := getJSONFrom(via.addr(), "/v1/job/"+id+"/allocations", &allocs); err != nil {
			return err
		}
		if len(allocs) != 1 || allocs[0].ClientStatus != "running" {
			return fmt.Errorf("%s allocs: %+v", id, allocs)
		}
		return nil
	}
	waitFor(t, 30*time.Second, func() error {
		var nodes []map[string]interface{}
		if err := getJSONFrom(follower.addr(), "/v1/nodes", &nodes); err != nil {
			return err
		}
		if len(nodes) != 1 || nodes[0]["Status"] != "ready" {
			return fmt.Errorf("nodes %v", nodes)
		}
		return nil
	})
	// A write acknowledged by the leader is visible at once in a default
	// (consistent) read on a follower.
	for i := 0; i < 5; i++ {
		id := fmt.Sprintf("consistent%d", i)
		cmd := exec.Command(bin, "job", "run", "-detach", writeJob(id))
		cmd.Env = append(os.Environ(), "DROVER_ADDR="+leaderAgent.addr())
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("job run %s: %v\n%s", id, err, out)
		}
		var job map[string]interface{}
		if err := getJSONFrom(follower.addr(), "/v1/job/"+id, &job); err != nil {
			t.Fatalf("follower read of a just-acknowledged job: %v", err)
		}
		stop := exec.Command(bin, "job", "stop", "-purge", id)
		stop.Env = cmd.Env
		if out, err := stop.CombinedOutput(); err != nil {
			t.Fatalf("job stop %s: %v\n%s", id, err, out)
		}
	}
	run(follower, "before")
	waitFor(t, 30*time.Second, func() error { return running(follower, "before") })

	// Kill the leader: the other two elect a new one.
	killedAt := time.Now()
	leaderAgent.kill()
	var rest []*clusterAgent
	for _, s := range servers {
		if s != leaderAgent {
			rest = append(rest, s)
		}
	}
	var newLeader string
	waitFor(t, 30*time.Second, func() error {
		l, err := leaderOf(rest)
		if err != nil {
			return err
		}
		if l == leader {
			return fmt.Errorf("still the old leader")
		}
		newLeader = l
		return nil
	})
	t.Logf("new leader %s elected %s after the old leader was killed", newLeader, time.Since(killedAt).Round(time.Millisecond))
	if err := running(rest[0], "before"); err != nil {
		t.Fatalf("acknowledged job lost or disturbed after failover: %v", err)
	}
	run(rest[1], "after")
	waitFor(t, 30*time.Second, func() error { return running(rest[0], "after") })

	// Stop the jobs: a non-dev client leaves tasks running when it stops,
	// so the test must not leave them behind.
	for _, id := range []string{"before", "after"} {
		cmd := exec.Command(bin, "job", "stop", id)
		cmd.Env = append(os.Environ(), "DROVER_ADDR="+rest[0].addr())
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("job stop %s: %v\n%s", id, err, out)
		}
	}
	waitFor(t, 30*time.Second, func() error {
		for _, id := range []string{"before", "after"} {
			var allocs []allocStub
			if err := getJSONFrom(rest[0].addr(), "/v1/job/"+id+"/allocations", &allocs); err != nil {
				return err
			}
			for _, a := range allocs {
				if a.ClientStatus == "running" {
					return fmt.Errorf("%s still running", id)
				}
			}
		}
		return nil
	})
}
