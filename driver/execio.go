package driver

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/containerd/console"
)

// outputDrain bounds how long an exec waits, after its command exited,
// for the rest of its output: a background process it left behind may
// hold the output open for ever.
const outputDrain = 2 * time.Second

// eot is what a terminal reads as end of input (^D).
const eot = 0x04

// ExecPipes connect a command's standard streams to an ExecRequest without
// a terminal. Drivers hand Stdin, Stdout and Stderr (the child's ends) to
// the process, call Started once it runs and Finish once it has exited.
// The child gets real pipes, not Go readers, so its exit never waits on a
// copy.
type ExecPipes struct {
	Stdin, Stdout, Stderr *os.File

	stdinW, stdoutR, stderrR *os.File
	req                      *ExecRequest
	out                      sync.WaitGroup
}

// NewExecPipes makes the pipes of req.
func NewExecPipes(req *ExecRequest) (*ExecPipes, error) {
	p := &ExecPipes{req: req}
	var err error
	if p.Stdin, p.stdinW, err = os.Pipe(); err != nil {
		return nil, fmt.Errorf("creating stdin pipe: %w", err)
	}
	if p.stdoutR, p.Stdout, err = os.Pipe(); err != nil {
		p.closeAll()
		return nil, fmt.Errorf("creating stdout pipe: %w", err)
	}
	if p.stderrR, p.Stderr, err = os.Pipe(); err != nil {
		p.closeAll()
		return nil, fmt.Errorf("creating stderr pipe: %w", err)
	}
	return p, nil
}

// Started closes the child's ends in this process and starts copying.
func (p *ExecPipes) Started() {
	p.Stdin.Close()
	p.Stdout.Close()
	p.Stderr.Close()
	go func() {
		if p.req.Stdin != nil {
			// A write error means the command closed its input or ended.
			_, _ = io.Copy(p.stdinW, p.req.Stdin)
		}
		p.stdinW.Close()
	}()
	p.out.Add(2)
	go p.copyOut(p.req.Stdout, p.stdoutR)
	go p.copyOut(p.req.Stderr, p.stderrR)
}

func (p *ExecPipes) copyOut(w io.Writer, r *os.File) {
	defer p.out.Done()
	if w == nil {
		w = io.Discard
	}
	_, _ = io.Copy(w, r) // ends at EOF, or when Finish closes r
}

// Finish waits, briefly, for the output still in the pipes and closes
// them. Call it once the command has exited (or never started).
func (p *ExecPipes) Finish() {
	waitBounded(&p.out, outputDrain)
	p.closeAll()
	p.out.Wait()
}

func (p *ExecPipes) closeAll() {
	for _, f := range []*os.File{p.Stdin, p.Stdout, p.Stderr, p.stdinW, p.stdoutR, p.stderrR} {
		if f != nil {
			f.Close()
		}
	}
}

// ExecTerminal connects the master side of a command's pseudo-terminal to
// an ExecRequest: input in, output out, and resizes. Drivers create it
// once the command runs on the terminal and call Finish once it has
// exited.
type ExecTerminal struct {
	master console.Console // for resizing
	rw     *os.File        // the master for input and output
	out    sync.WaitGroup  // the output copy
	resz   sync.WaitGroup  // the resizer, which uses master
	stop   chan struct{}
}

// NewExecTerminal starts serving req on master, which it takes over (and
// closes on error).
func NewExecTerminal(master console.Console, req *ExecRequest) (*ExecTerminal, error) {
	rw, err := pollable(master)
	if err != nil {
		master.Close()
		return nil, err
	}
	t := &ExecTerminal{master: master, rw: rw, stop: make(chan struct{})}
	go func() {
		if req.Stdin == nil {
			return
		}
		if _, err := io.Copy(rw, req.Stdin); err == nil {
			_, _ = rw.Write([]byte{eot})
		}
	}()
	if req.Resize != nil {
		t.resz.Add(1)
		go t.resize(req.Resize)
	}
	t.out.Add(1)
	go func() {
		defer t.out.Done()
		w := req.Stdout
		if w == nil {
			w = io.Discard
		}
		// Reading a master whose terminal has no process left fails with
		// EIO: that is the end of the output, not an error.
		_, _ = io.Copy(w, rw)
	}()
	return t, nil
}

// pollable returns a non-blocking copy of c's descriptor, so that closing
// it ends a read blocked on it (console's Fd leaves c's own blocking).
func pollable(c console.Console) (*os.File, error) {
	fd, err := syscall.Dup(int(c.Fd()))
	if err != nil {
		return nil, fmt.Errorf("duplicating the terminal: %w", err)
	}
	syscall.CloseOnExec(fd)
	if err := syscall.SetNonblock(fd, true); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("setting the terminal non-blocking: %w", err)
	}
	return os.NewFile(uintptr(fd), c.Name()), nil
}

func (t *ExecTerminal) resize(sizes <-chan TerminalSize) {
	defer t.resz.Done()
	for {
		select {
		case <-t.stop:
			return
		case s, ok := <-sizes:
			if !ok {
				return
			}
			if s.Height > 0 && s.Width > 0 {
				// Best effort: a terminal gone is the command's business.
				_ = t.master.Resize(console.WinSize{Height: uint16(s.Height), Width: uint16(s.Width)})
			}
		}
	}
}

// Finish waits, briefly, for the terminal's remaining output and closes
// it.
func (t *ExecTerminal) Finish() {
	close(t.stop)
	t.resz.Wait()
	waitBounded(&t.out, outputDrain)
	t.rw.Close()
	t.master.Close()
	t.out.Wait()
}

// NewPty allocates a pseudo-terminal on the host: the master side and the
// opened terminal (slave) side, for a process started by this one.
func NewPty() (console.Console, *os.File, error) {
	master, slavePath, err := console.NewPty()
	if err != nil {
		return nil, nil, fmt.Errorf("allocating a pseudo-terminal: %w", err)
	}
	slave, err := os.OpenFile(slavePath, os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		return nil, nil, fmt.Errorf("opening pseudo-terminal %s: %w", slavePath, err)
	}
	return master, slave, nil
}

// ExitCodeOf turns a waited-for process's state into an exit code:
// 128+signal for a signal, as shells report it.
func ExitCodeOf(state *os.ProcessState, waitErr error) (int, error) {
	if state == nil {
		if waitErr == nil {
			waitErr = errors.New("no exit status")
		}
		return 0, fmt.Errorf("waiting for the command: %w", waitErr)
	}
	if ws, ok := state.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal()), nil
	}
	return state.ExitCode(), nil
}

func waitBounded(wg *sync.WaitGroup, d time.Duration) {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(d):
	}
}
