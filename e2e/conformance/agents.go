package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// binEnv is the suite's view of the world: a PATH directory holding the
// `nomad` wrapper, and the file where the wrapper records PIDs.
type binEnv struct {
	drover  string // the built binary
	binDir  string // first in the suite's PATH: holds the nomad wrapper
	pidFile string // one PID a line, appended by the wrapper
	tmpDir  string // the suite's TMPDIR (agents' data dirs)
}

// wrapperScript records its PID, then becomes drover through a symlink named
// nomad (exec keeps the PID), so the agent runs exactly as Nomad's test
// harness invokes a real nomad binary.
const wrapperScript = `#!/bin/sh
echo $$ >> %q
exec %q "$@"
`

// setupBin builds drover from repo into tmp and writes the nomad wrapper.
func setupBin(ctx context.Context, repo, tmp string) (*binEnv, error) {
	e := &binEnv{
		drover:  filepath.Join(tmp, "drover"),
		binDir:  filepath.Join(tmp, "bin"),
		pidFile: filepath.Join(tmp, "agents.pid"),
		tmpDir:  filepath.Join(tmp, "tmp"),
	}
	linkDir := filepath.Join(tmp, "link")
	for _, d := range []string{e.binDir, linkDir, e.tmpDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	build := exec.CommandContext(ctx, goBin(), "build", "-o", e.drover, ".")
	build.Dir = repo
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("building drover in %s: %w", repo, err)
	}
	link := filepath.Join(linkDir, "nomad")
	if err := os.Symlink(e.drover, link); err != nil {
		return nil, err
	}
	script := fmt.Sprintf(wrapperScript, e.pidFile, link)
	if err := os.WriteFile(filepath.Join(e.binDir, "nomad"), []byte(script), 0o755); err != nil {
		return nil, err
	}
	return e, nil
}

// killAgents ends every recorded process still running drover, and their
// descendants (tasks the agents started): SIGINT first (the agent's graceful
// shutdown), SIGKILL for what remains after grace. It returns how many
// recorded agents were still alive.
func (e *binEnv) killAgents(grace time.Duration) (int, error) {
	b, err := os.ReadFile(e.pidFile)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	var agents []int
	for _, f := range strings.Fields(string(b)) {
		pid, err := strconv.Atoi(f)
		if err != nil {
			return 0, fmt.Errorf("pid file %s: %w", e.pidFile, err)
		}
		// A recorded PID may have exited and been reused: only processes
		// still running our binary are ours.
		if exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid)); err == nil && exe == e.drover {
			agents = append(agents, pid)
		}
	}
	if len(agents) == 0 {
		return 0, nil
	}
	all := withDescendants(agents)
	for _, pid := range agents {
		_ = syscall.Kill(pid, syscall.SIGINT) // gone already is fine
	}
	deadline := time.Now().Add(grace)
	for time.Now().Before(deadline) && anyAlive(agents) {
		time.Sleep(100 * time.Millisecond)
	}
	for _, pid := range all {
		if alive(pid) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
	return len(agents), nil
}

// withDescendants returns pids and every process below them, read from
// /proc (children of a reparented task are missed; tasks are direct or
// near descendants of their agent).
func withDescendants(pids []int) []int {
	children := map[int][]int{}
	entries, _ := os.ReadDir("/proc")
	for _, ent := range entries {
		pid, err := strconv.Atoi(ent.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		// The command name is in parentheses and may hold spaces: the
		// fields after the last ')' are state, ppid, ...
		s := string(stat)
		fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(fields) < 2 {
			continue
		}
		if ppid, err := strconv.Atoi(fields[1]); err == nil {
			children[ppid] = append(children[ppid], pid)
		}
	}
	var out []int
	seen := map[int]bool{}
	queue := append([]int(nil), pids...)
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		out = append(out, p)
		queue = append(queue, children[p]...)
	}
	return out
}

// alive reports whether pid runs; a zombie (exited, not yet reaped) does not.
func alive(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(stat)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	return len(fields) > 0 && fields[0] != "Z"
}

func anyAlive(pids []int) bool {
	for _, p := range pids {
		if alive(p) {
			return true
		}
	}
	return false
}
