package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// restartableAgent is a non-dev agent (server and client) whose data_dir
// outlives its process, so it can be killed and started again.
type restartableAgent struct {
	*devAgent
	cfgPath string
	logPath string
	proc    *exec.Cmd
}

func newRestartableAgent(t *testing.T) *restartableAgent {
	t.Helper()
	dir := t.TempDir()
	ports := freePorts(t, 3)
	cfg := fmt.Sprintf(`name = "reattach"
data_dir = %q
bind_addr = "127.0.0.1"
ports {
  http = %d
  rpc  = %d
  serf = %d
}
server {
  enabled          = true
  bootstrap_expect = 1
}
client {
  enabled = true
}
plugin "raw_exec" {
  config {
    enabled = true
  }
}
`, filepath.Join(dir, "data"), ports[0], ports[1], ports[2])
	r := &restartableAgent{
		devAgent: &devAgent{t: t, bin: droverBinary(t), addr: fmt.Sprintf("http://127.0.0.1:%d", ports[0]), dir: dir},
		cfgPath:  filepath.Join(dir, "agent.hcl"),
		logPath:  filepath.Join(dir, "agent.log"),
	}
	if err := os.WriteFile(r.cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		r.interrupt()
		if t.Failed() {
			b, _ := os.ReadFile(r.logPath)
			t.Logf("agent log:\n%s", b)
		}
	})
	return r
}

// start runs the agent and waits until its node is ready.
func (r *restartableAgent) start() {
	r.t.Helper()
	logf, err := os.OpenFile(r.logPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		r.t.Fatal(err)
	}
	defer logf.Close()
	fmt.Fprintf(logf, "==== agent start %s\n", time.Now().Format(time.RFC3339Nano))
	r.proc = exec.Command(r.bin, "agent", "-config", r.cfgPath)
	r.proc.Dir = r.dir
	r.proc.Stdout, r.proc.Stderr = logf, logf
	if err := r.proc.Start(); err != nil {
		r.t.Fatal(err)
	}
	r.waitReady(60 * time.Second)
}

// kill SIGKILLs the agent: no shutdown code runs.
func (r *restartableAgent) kill() {
	r.t.Helper()
	if err := r.proc.Process.Kill(); err != nil {
		r.t.Fatal(err)
	}
	_ = r.proc.Wait()
}

func (r *restartableAgent) interrupt() {
	if r.proc == nil || r.proc.ProcessState != nil {
		return
	}
	_ = r.proc.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = r.proc.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = r.proc.Process.Kill()
		<-done
	}
}

type allocTasks struct {
	ID           string
	ClientStatus string
	TaskStates   map[string]struct {
		State    string
		Restarts uint64
		Events   []struct{ Type, DisplayMessage string }
	}
}

func processAlive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	// A zombie is dead for our purpose.
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	fields := strings.Fields(string(b))
	return len(fields) > 2 && fields[2] != "Z"
}

// TestAgentKilledReattaches: a raw_exec task keeps running while its agent
// is SIGKILLed and started again; the restarted agent re-attaches to it
// (same process, not restarted), and a later job stop kills it and
// completes the allocation.
func TestAgentKilledReattaches(t *testing.T) {
	a := newRestartableAgent(t)
	a.start()
	work := t.TempDir()
	pidFile := filepath.Join(work, "pid")
	job := fmt.Sprintf(`job "survivor" {
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo $$ >> %s; exec sleep 600"]
      }
    }
  }
}
`, pidFile)
	if err := os.WriteFile(filepath.Join(work, "job.hcl"), []byte(job), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, code := a.cli(work, "job", "run", "-detach", "job.hcl"); code != 0 {
		t.Fatalf("job run: %d\n%s", code, out)
	}
	alloc := waitAlloc(t, a.devAgent, "survivor", func(al *allocTasks) error {
		if al.ClientStatus != "running" {
			return fmt.Errorf("client status %s", al.ClientStatus)
		}
		return nil
	})
	var pid int
	waitFor(t, 10*time.Second, func() error {
		b, _ := os.ReadFile(pidFile)
		var err error
		pid, err = strconv.Atoi(strings.TrimSpace(string(b)))
		return err
	})
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) })

	a.kill()
	if !processAlive(pid) {
		t.Fatalf("task %d died with its agent", pid)
	}
	a.start()
	al := waitAlloc(t, a.devAgent, "survivor", func(al *allocTasks) error {
		for _, ev := range al.TaskStates["t"].Events {
			if ev.Type == "Driver" && strings.Contains(ev.DisplayMessage, "Reattached") {
				return nil
			}
		}
		return fmt.Errorf("no Reattached event yet: %+v", al.TaskStates["t"])
	})
	if al.ID != alloc.ID || al.ClientStatus != "running" || al.TaskStates["t"].State != "running" || al.TaskStates["t"].Restarts != 0 {
		t.Fatalf("after restart: %+v, want alloc %s still running, never restarted", al, alloc.ID)
	}
	if b, _ := os.ReadFile(pidFile); strings.TrimSpace(string(b)) != strconv.Itoa(pid) {
		t.Fatalf("pid file %q: the task was started again", b)
	}
	if !processAlive(pid) {
		t.Fatalf("task %d gone after the agent restarted", pid)
	}
	started := 0
	for _, ev := range al.TaskStates["t"].Events {
		if ev.Type == "Started" {
			started++
		}
	}
	if started != 1 {
		t.Fatalf("%d Started events, want 1: %+v", started, al.TaskStates["t"].Events)
	}

	if out, code := a.cli(work, "job", "stop", "-detach", "survivor"); code != 0 {
		t.Fatalf("job stop: %d\n%s", code, out)
	}
	waitAlloc(t, a.devAgent, "survivor", func(al *allocTasks) error {
		if al.ClientStatus != "complete" {
			return fmt.Errorf("client status %s", al.ClientStatus)
		}
		return nil
	})
	waitFor(t, 10*time.Second, func() error {
		if processAlive(pid) {
			return fmt.Errorf("task %d still running", pid)
		}
		return nil
	})
}

// waitAlloc waits until the job's only allocation satisfies ok.
func waitAlloc(t *testing.T, a *devAgent, job string, ok func(*allocTasks) error) *allocTasks {
	t.Helper()
	var got *allocTasks
	waitFor(t, 60*time.Second, func() error {
		var allocs []allocTasks
		if err := a.getJSON("/v1/job/"+job+"/allocations", &allocs); err != nil {
			return err
		}
		if len(allocs) != 1 {
			return fmt.Errorf("%d allocations", len(allocs))
		}
		got = &allocs[0]
		return ok(got)
	})
	return got
}
