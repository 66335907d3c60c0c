package supervisor

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hashicorp/go-msgpack/v2/codec"

	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/structs"
)

// Names of the files in a supervisor directory.
const (
	specFile  = "spec.msgpack"
	stateFile = "state.json"
	sockFile  = "sock"
	logFile   = "supervisor.log"
)

// spec is what the client asks a supervisor to run. It is msgpack-encoded
// with the structs codec so the task's free-form driver config keeps its
// types (integers stay integers).
type spec struct {
	// Driver is the Builder's name.
	Driver string
	// DriverConfig is handed to the Builder as is.
	DriverConfig []byte
	// Task is the config the driver starts the task from.
	Task *driver.TaskConfig
	// LogLevel is the supervisor's log level ("debug", "info", ...).
	LogLevel string
}

// State is what a supervisor records about its task.
type State struct {
	// SupervisorPID is the supervisor's process id.
	SupervisorPID int
	// StartedAt is when the task started.
	StartedAt time.Time
	// Exit is how the task ended; nil while it runs.
	Exit *ExitRecord `json:",omitempty"`
}

// ExitRecord is a driver.ExitResult that survives serialisation.
type ExitRecord struct {
	ExitCode  int
	Signal    int
	OOMKilled bool   `json:",omitempty"`
	Err       string `json:",omitempty"`
}

func newExitRecord(r *driver.ExitResult) *ExitRecord {
	rec := &ExitRecord{ExitCode: r.ExitCode, Signal: r.Signal, OOMKilled: r.OOMKilled}
	if r.Err != nil {
		rec.Err = r.Err.Error()
	}
	return rec
}

func (r *ExitRecord) result() *driver.ExitResult {
	res := &driver.ExitResult{ExitCode: r.ExitCode, Signal: r.Signal, OOMKilled: r.OOMKilled}
	if r.Err != "" {
		res.Err = errors.New(r.Err)
	}
	return res
}

func writeSpec(dir string, sp *spec) error {
	var buf bytes.Buffer
	if err := codec.NewEncoder(&buf, structs.MsgpackHandle).Encode(sp); err != nil {
		return fmt.Errorf("encoding supervisor spec: %w", err)
	}
	return writeAtomic(filepath.Join(dir, specFile), buf.Bytes(), 0o600)
}

func readSpec(dir string) (*spec, error) {
	b, err := os.ReadFile(filepath.Join(dir, specFile))
	if err != nil {
		return nil, fmt.Errorf("reading supervisor spec: %w", err)
	}
	var sp spec
	if err := structs.Decode(b, &sp); err != nil {
		return nil, fmt.Errorf("decoding supervisor spec %s: %w", filepath.Join(dir, specFile), err)
	}
	if sp.Task == nil {
		return nil, fmt.Errorf("supervisor spec in %s has no task", dir)
	}
	return &sp, nil
}

func writeState(dir string, st *State) error {
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encoding supervisor state: %w", err)
	}
	return writeAtomic(filepath.Join(dir, stateFile), b, 0o600)
}

// ReadState reads the state a supervisor recorded in dir. It wraps
// os.ErrNotExist when the supervisor never recorded a start.
func ReadState(dir string) (*State, error) {
	b, err := os.ReadFile(filepath.Join(dir, stateFile))
	if err != nil {
		return nil, fmt.Errorf("reading supervisor state: %w", err)
	}
	var st State
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("decoding supervisor state %s: %w", filepath.Join(dir, stateFile), err)
	}
	return &st, nil
}

// writeAtomic replaces path with data durably: a reader, or a process
// started after a crash, sees the old content or the new, never a part.
func writeAtomic(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	_, werr := tmp.Write(data)
	if werr == nil {
		werr = tmp.Chmod(mode)
	}
	if werr == nil {
		werr = tmp.Sync()
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", path, werr)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync() // best effort: the rename is already visible
		d.Close()
	}
	return nil
}
