package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// droverBinary builds the binary once per test run.
func droverBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "drover-e2e-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "drover")
		cmd := exec.Command("go", "build", "-o", binPath, "..")
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// freePorts returns n distinct free TCP ports on 127.0.0.1.
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	var ports []int
	var lns []net.Listener
	for i := 0; i < n; i++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	for _, ln := range lns {
		ln.Close()
	}
	return ports
}

// devAgent is a running `drover agent -dev`.
type devAgent struct {
	t     testing.TB
	bin   string
	addr  string // http://127.0.0.1:port
	cmd   *exec.Cmd
	log   *bytes.Buffer
	dir   string
	extra string
	// rpcPort is the agent's RPC port, where remote clients connect.
	rpcPort int
}

// rpcAddr is the agent's RPC address.
func (a *devAgent) rpcAddr() string { return fmt.Sprintf("127.0.0.1:%d", a.rpcPort) }

// startDevAgent starts an agent on free ports and waits until its node is
// ready. extraConfig is appended to the agent config file.
func startDevAgent(t testing.TB, extraConfig string) *devAgent {
	t.Helper()
	bin := droverBinary(t)
	dir := t.TempDir()
	ports := freePorts(t, 3)
	cfg := fmt.Sprintf("name = \"e2e\"\nbind_addr = \"127.0.0.1\"\nports {\n  http = %d\n  rpc = %d\n  serf = %d\n}\n%s",
		ports[0], ports[1], ports[2], extraConfig)
	cfgPath := filepath.Join(dir, "agent.hcl")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	a := &devAgent{t: t, bin: bin, addr: fmt.Sprintf("http://127.0.0.1:%d", ports[0]), log: &bytes.Buffer{}, dir: dir,
		rpcPort: ports[1]}
	a.cmd = exec.Command(bin, "agent", "-dev", "-config", cfgPath)
	a.cmd.Dir = dir
	a.cmd.Stdout = &lockedWriter{w: a.log}
	a.cmd.Stderr = a.cmd.Stdout
	if err := a.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.stop)
	a.waitReady(30 * time.Second)
	return a
}

func (a *devAgent) stop() {
	if a.cmd.Process == nil || a.cmd.ProcessState != nil {
		return
	}
	_ = a.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = a.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = a.cmd.Process.Kill()
		<-done
	}
	if a.t.Failed() {
		a.t.Logf("agent log:\n%s", a.log.String())
	}
}

// waitReady waits for a leader and one ready node.
func (a *devAgent) waitReady(timeout time.Duration) {
	a.t.Helper()
	waitFor(a.t, timeout, func() error {
		var nodes []map[string]interface{}
		if err := a.getJSON("/v1/nodes", &nodes); err != nil {
			return err
		}
		if len(nodes) != 1 || nodes[0]["Status"] != "ready" {
			return fmt.Errorf("nodes: %v", nodes)
		}
		return nil
	})
}

func (a *devAgent) getJSON(path string, out interface{}) error {
	resp, err := http.Get(a.addr + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// cli runs the drover CLI against the agent in dir and returns its output
// and exit code.
func (a *devAgent) cli(dir string, args ...string) (string, int) {
	a.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, a.bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "DROVER_ADDR="+a.addr, "NOMAD_ADDR=")
	out, err := cmd.CombinedOutput()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			a.t.Fatalf("running drover %s: %v", strings.Join(args, " "), err)
		}
		code = ee.ExitCode()
	}
	return string(out), code
}

// waitFor polls fn until it returns nil or the timeout passes.
func waitFor(t testing.TB, timeout time.Duration, fn func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var err error
	for time.Now().Before(deadline) {
		if err = fn(); err == nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("condition not met after %s: %v", timeout, err)
}

type lockedWriter struct {
	mu sync.Mutex
	w  interface {
		Write([]byte) (int, error)
		String() string
	}
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.String()
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
