package supervisor

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/structs"
)

// maxSockPath is the longest unix socket path Linux accepts.
const maxSockPath = 107

// startTimeout bounds how long a supervisor may take to start its task.
const startTimeout = 2 * time.Minute

// Config sets up a Driver.
type Config struct {
	// Dir holds one directory per supervised task. Required and absolute;
	// it must be short enough for a socket path below it (about 70 bytes).
	Dir string
	// Binary is the drover executable to re-execute; its main must call
	// RunSupervisor for IsSupervisorProcess. Defaults to this executable.
	Binary string
	// DriverConfig is handed to the inner driver's Builder in the
	// supervisor process.
	DriverConfig []byte
	// Logger receives the decorator's logs; its level is the supervisors'.
	Logger hclog.Logger
}

// Driver runs the tasks of the driver it wraps under supervisors. It is
// safe for concurrent use.
type Driver struct {
	inner  driver.Driver
	cfg    Config
	logger hclog.Logger
}

// New wraps inner, whose Builder in the supervisor binary has inner's name.
func New(inner driver.Driver, cfg Config) (*Driver, error) {
	if inner == nil {
		return nil, errors.New("supervisor: a driver to wrap is required")
	}
	if cfg.Dir == "" || !filepath.IsAbs(cfg.Dir) {
		return nil, fmt.Errorf("supervisor: dir %q must be an absolute path", cfg.Dir)
	}
	if n := len(filepath.Join(taskDirIn(cfg.Dir, "", ""), sockFile)); n > maxSockPath {
		return nil, fmt.Errorf("supervisor: dir %q is too long: socket paths below it would be %d bytes, the limit is %d", cfg.Dir, n, maxSockPath)
	}
	if cfg.Binary == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("supervisor: finding this executable: %w", err)
		}
		cfg.Binary = exe
	}
	if cfg.Logger == nil {
		cfg.Logger = hclog.NewNullLogger()
	}
	return &Driver{inner: inner, cfg: cfg, logger: cfg.Logger.Named("supervisor")}, nil
}

// Name implements driver.Driver: the inner driver's.
func (d *Driver) Name() string { return d.inner.Name() }

// Fingerprint implements driver.Driver: the inner driver's.
func (d *Driver) Fingerprint(ctx context.Context) *structs.DriverInfo {
	return d.inner.Fingerprint(ctx)
}

// ValidateConfig implements driver.Driver: the inner driver's.
func (d *Driver) ValidateConfig(config map[string]interface{}) error {
	return d.inner.ValidateConfig(config)
}

// Capabilities implements driver.CapabilityReporter: the inner driver's.
func (d *Driver) Capabilities() driver.Capabilities { return driver.CapabilitiesOf(d.inner) }

// taskDir is the supervisor directory of one task of one allocation: the
// same for every start of it, so a second start finds the first.
func (d *Driver) taskDir(allocID, task string) string {
	return taskDirIn(d.cfg.Dir, allocID, task)
}

// taskDirIn names directories by a hash: fixed length, whatever the
// allocation and task names, to keep socket paths short.
func taskDirIn(root, allocID, task string) string {
	sum := sha256.Sum256([]byte(allocID + "\x00" + task))
	return filepath.Join(root, hex.EncodeToString(sum[:12]))
}

// StartTask implements driver.Driver: it starts a supervisor that starts
// the task, and returns once the task runs. If a supervisor of the same
// allocation and task is still running (a client killed right after
// starting it, before it recorded the handle), that one is adopted.
func (d *Driver) StartTask(ctx context.Context, cfg *driver.TaskConfig) (driver.TaskHandle, error) {
	dir := d.taskDir(cfg.AllocID, cfg.TaskName)
	logger := d.logger.With("alloc_id", cfg.AllocID, "task", cfg.TaskName)
	if st, err := ReadState(dir); err == nil && st.Exit == nil && alive(dir) {
		logger.Warn("task already running under a supervisor; adopting it", "supervisor_pid", st.SupervisorPID)
		return d.handleFor(dir, logger), nil
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, fmt.Errorf("supervisor: clearing %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("supervisor: creating %s: %w", dir, err)
	}
	sp := &spec{Driver: d.inner.Name(), DriverConfig: d.cfg.DriverConfig, Task: cfg, LogLevel: levelName(d.logger)}
	if err := writeSpec(dir, sp); err != nil {
		return nil, fmt.Errorf("supervisor: %w", err)
	}
	if err := d.spawn(ctx, dir, logger); err != nil {
		return nil, fmt.Errorf("%s: %w", d.inner.Name(), err)
	}
	h := d.handleFor(dir, logger)
	if ctx.Err() != nil {
		// Started although the caller gave up: do not leave it behind.
		if err := h.Kill("SIGKILL", 10*time.Second); err != nil {
			logger.Error("killing a task started after its start was cancelled failed", "error", err)
		}
		return nil, fmt.Errorf("%s: starting task %q: %w", d.inner.Name(), cfg.TaskName, ctx.Err())
	}
	return h, nil
}

// spawn starts the supervisor process and waits for its start report.
func (d *Driver) spawn(ctx context.Context, dir string, logger hclog.Logger) error {
	logf, err := os.OpenFile(filepath.Join(dir, logFile), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("opening supervisor log: %w", err)
	}
	defer logf.Close()
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		return err
	}
	defer devnull.Close()
	rd, wr, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("creating supervisor report pipe: %w", err)
	}
	defer rd.Close()
	cmd := exec.Command(d.cfg.Binary, marker, dir)
	cmd.Env = append(os.Environ(), envMarker+"=1")
	cmd.Dir = "/"
	// Files, not pipes: the supervisor's output must not depend on us.
	cmd.Stdin, cmd.Stdout, cmd.Stderr = devnull, logf, logf
	cmd.ExtraFiles = []*os.File{wr} // fd 3 = reportFD
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	err = cmd.Start()
	wr.Close()
	if err != nil {
		return fmt.Errorf("starting supervisor %s: %w", d.cfg.Binary, err)
	}
	// Reap it when it ends; after a client restart init does.
	go func() { _ = cmd.Wait() }()
	type result struct {
		rep startReport
		err error
	}
	got := make(chan result, 1)
	go func() {
		var r result
		line, err := bufio.NewReader(rd).ReadBytes('\n')
		switch {
		case len(line) == 0 && (err == nil || errors.Is(err, io.EOF)):
			r.err = fmt.Errorf("supervisor exited before starting the task: %s", tail(filepath.Join(dir, logFile)))
		case err != nil && !errors.Is(err, io.EOF):
			r.err = fmt.Errorf("reading supervisor report: %w", err)
		default:
			r.err = json.Unmarshal(line, &r.rep)
		}
		got <- r
	}()
	// The start is not abandoned when ctx ends: the task may be starting,
	// and StartTask kills it once it is known.
	select {
	case r := <-got:
		if r.err != nil {
			return r.err
		}
		if r.rep.Error != "" {
			return errors.New(r.rep.Error)
		}
		logger.Debug("supervisor started task", "supervisor_pid", cmd.Process.Pid)
		return nil
	case <-time.After(startTimeout):
		_ = cmd.Process.Kill()
		return fmt.Errorf("supervisor did not start the task within %s", startTimeout)
	}
}

// RecoverTask implements driver.TaskRecoverer.
func (d *Driver) RecoverTask(ctx context.Context, state []byte) (driver.TaskHandle, error) {
	var hs handleState
	if err := json.Unmarshal(state, &hs); err != nil || hs.Dir == "" {
		return nil, fmt.Errorf("supervisor: bad handle state %q: %v", state, err)
	}
	st, err := ReadState(hs.Dir)
	if err != nil {
		return nil, fmt.Errorf("supervisor: recovering task: %w", err)
	}
	if st.Exit == nil && !alive(hs.Dir) {
		return nil, fmt.Errorf("supervisor: the supervisor (pid %d) in %s is gone without recording its task's exit", st.SupervisorPID, hs.Dir)
	}
	return d.handleFor(hs.Dir, d.logger), nil
}

// alive reports whether a supervisor answers on dir's socket.
func alive(dir string) bool {
	_, err := call(dir, &request{Op: opPing}, 5*time.Second)
	return err == nil
}

func levelName(l hclog.Logger) string {
	switch {
	case l.IsTrace():
		return "trace"
	case l.IsDebug():
		return "debug"
	case l.IsInfo():
		return "info"
	case l.IsWarn():
		return "warn"
	default:
		return "error"
	}
}

// tail returns the end of a supervisor's log, for error messages.
func tail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "no log: " + err.Error()
	}
	s := strings.TrimSpace(string(b))
	if len(s) > 2000 {
		s = s[len(s)-2000:]
	}
	if s == "" {
		return "its log is empty"
	}
	return s
}
