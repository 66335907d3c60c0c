package supervisor

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/driver"
)

// Marker is argv[1] of a supervisor process; envMarker must be set too, so
// no command line typed by a user is mistaken for one.
const (
	marker    = "__drover_task_supervisor__"
	envMarker = "DROVER_TASK_SUPERVISOR"
)

// reportFD is the descriptor a supervisor reports its start on: one JSON
// startReport, then it closes it.
const reportFD = 3

// replyGrace bounds how long an exiting supervisor waits for the replies
// to clients connected at the task's exit to be written.
const replyGrace = 5 * time.Second

// Builder makes the driver named in a supervisor's spec, inside the
// supervisor process, from the DriverConfig given to New.
type Builder func(logger hclog.Logger, config []byte) (driver.Driver, error)

type startReport struct {
	Error string `json:",omitempty"`
}

// IsSupervisorProcess reports whether this process is a task supervisor.
// main must check it first thing, with os.Args:
//
//	if supervisor.IsSupervisorProcess(os.Args) { supervisor.RunSupervisor(builders) }
func IsSupervisorProcess(args []string) bool {
	return len(args) == 3 && args[1] == marker && os.Getenv(envMarker) == "1"
}

// RunSupervisor runs the supervisor whose directory is os.Args[2] with the
// drivers builders makes, and exits when its task has ended. It never
// returns.
func RunSupervisor(builders map[string]Builder) {
	report := os.NewFile(reportFD, "supervisor-report")
	os.Exit(runSupervisor(os.Args[2], builders, report))
}

func runSupervisor(dir string, builders map[string]Builder, report *os.File) int {
	logger := hclog.New(&hclog.LoggerOptions{Name: "supervisor", Output: os.Stderr})
	fail := func(err error) int {
		logger.Error("task not started", "error", err)
		sendReport(report, err)
		return 1
	}
	sp, err := readSpec(dir)
	if err != nil {
		return fail(err)
	}
	logger.SetLevel(hclog.LevelFromString(sp.LogLevel))
	logger = logger.With("alloc_id", sp.Task.AllocID, "task", sp.Task.TaskName)
	build, ok := builders[sp.Driver]
	if !ok {
		return fail(fmt.Errorf("driver %q cannot be supervised by this binary", sp.Driver))
	}
	d, err := build(logger, sp.DriverConfig)
	if err != nil {
		return fail(fmt.Errorf("building driver %q: %w", sp.Driver, err))
	}
	sock := filepath.Join(dir, sockFile)
	os.Remove(sock) // a dead supervisor's socket
	ln, err := net.Listen("unix", sock)
	if err != nil {
		return fail(fmt.Errorf("listening on %s: %w", sock, err))
	}
	defer ln.Close()
	h, err := d.StartTask(context.Background(), sp.Task)
	if err != nil {
		return fail(err)
	}
	st := &State{SupervisorPID: os.Getpid(), StartedAt: time.Now()}
	if err := writeState(dir, st); err != nil {
		// Without a state file a restarted client could not tell what
		// happened: do not leave the task running unrecorded.
		_ = h.Kill("SIGKILL", 5*time.Second)
		return fail(err)
	}
	sendReport(report, nil)
	logger.Info("task started")

	s := &server{handle: h, logger: logger, done: make(chan struct{})}
	go s.serve(ln)
	res := <-h.Wait()
	st.Exit = newExitRecord(res)
	if err := writeState(dir, st); err != nil {
		logger.Error("recording the task's exit failed", "error", err)
	}
	logger.Info("task exited", "exit_code", res.ExitCode, "signal", res.Signal, "oom_killed", res.OOMKilled, "error", res.Err)
	s.finish(st.Exit)
	return 0
}

func sendReport(report *os.File, err error) {
	if report == nil {
		return
	}
	var r startReport
	if err != nil {
		r.Error = err.Error()
	}
	// The client may be gone; then nobody needs the report.
	_ = json.NewEncoder(report).Encode(&r)
	report.Close()
}

// server answers the client's requests while the task runs.
type server struct {
	handle driver.TaskHandle
	logger hclog.Logger

	done chan struct{} // closed once exit is set
	exit *ExitRecord
	wg   sync.WaitGroup // requests being answered
}

func (s *server) serve(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return // closed when the supervisor exits
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer conn.Close()
			s.handle1(conn)
		}()
	}
}

// finish publishes the exit to waiting clients and gives their replies a
// little time to go out.
func (s *server) finish(exit *ExitRecord) {
	s.exit = exit
	close(s.done)
	waited := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(waited)
	}()
	select {
	case <-waited:
	case <-time.After(replyGrace):
		s.logger.Warn("clients still connected at exit")
	}
}

func (s *server) handle1(conn net.Conn) {
	var req request
	if err := json.NewDecoder(conn).Decode(&req); err != nil {
		s.logger.Warn("bad request", "error", err)
		return
	}
	var resp response
	switch req.Op {
	case opWait:
		<-s.done
		resp.Exit = s.exit
	case opPing:
	case opKill:
		if err := s.handle.Kill(req.Signal, req.Timeout); err != nil {
			resp.Error = err.Error()
		}
	case opSignal:
		sg, ok := s.handle.(driver.Signaler)
		if !ok {
			resp.Error = "the task's driver cannot send signals"
			break
		}
		select {
		case <-s.done:
			resp.Error = "task has exited"
			break
		default:
		}
		if resp.Error == "" {
			if err := sg.Signal(req.Signal); err != nil {
				resp.Error = err.Error()
			}
		}
	case opStats:
		sr, ok := s.handle.(driver.StatsReporter)
		if !ok {
			resp.Error = "the task's driver does not report resource usage"
			break
		}
		u, err := sr.Stats()
		if err != nil {
			resp.Error = err.Error()
		}
		resp.Stats = u
	default:
		resp.Error = fmt.Sprintf("unknown request %q", req.Op)
	}
	if err := json.NewEncoder(conn).Encode(&resp); err != nil {
		s.logger.Debug("writing reply failed", "op", req.Op, "error", err)
	}
}
