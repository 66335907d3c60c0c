package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestKillAgents starts a stand-in "agent" (a copy of sleep, through the
// wrapper script as the suite would) that ignores nothing and outlives its
// caller, and checks killAgents ends it and its child.
func TestKillAgents(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep binary")
	}
	tmp := t.TempDir()
	e := &binEnv{drover: filepath.Join(tmp, "drover"), binDir: filepath.Join(tmp, "bin"), pidFile: filepath.Join(tmp, "agents.pid")}
	src, err := os.ReadFile(sleep)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.drover, src, 0o755); err != nil {
		t.Fatal(err)
	}
	wrapper := filepath.Join(tmp, "nomad")
	if err := os.WriteFile(wrapper, []byte(fmt.Sprintf(wrapperScript, e.pidFile, e.drover)), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(wrapper, "300")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()

	deadline := time.Now().Add(5 * time.Second)
	for {
		if exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", cmd.Process.Pid)); exe == e.drover {
			break // the wrapper has exec'd the "agent"
		}
		if time.Now().After(deadline) {
			t.Fatal("wrapper never exec'd the agent")
		}
		time.Sleep(10 * time.Millisecond)
	}
	n, err := e.killAgents(2 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("ended %d agents, want 1", n)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("agent still running")
	}
	// Nothing left: a second pass finds no live agent (the PID is dead).
	if n, err := e.killAgents(time.Second); err != nil || n != 0 {
		t.Fatalf("second pass: %d, %v", n, err)
	}
}
