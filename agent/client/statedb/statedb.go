// Package statedb is the client's persistent state: what a restarted client
// agent needs to take its allocations back without starting their tasks a
// second time. It is a bbolt file, <data_dir>/client/state.db, laid out as
//
//	allocs/<alloc id>/alloc              the allocation as last received
//	allocs/<alloc id>/tasks/<task name>  a TaskRecord
//
// Values are msgpack, with the codec of Raft entries. Every Put is one
// transaction, synced to disk before it returns, so a client killed right
// after a write finds it on its next start. DB is safe for concurrent use.
package statedb

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hashicorp/go-msgpack/v2/codec"
	bolt "go.etcd.io/bbolt"

	"github.com/drover-project/drover/structs"
)

var (
	allocsBucket = []byte("allocs")
	tasksBucket  = []byte("tasks")
	allocKey     = []byte("alloc")
)

// openTimeout bounds the wait for the file lock: a second agent on the
// same data dir fails instead of hanging.
const openTimeout = 5 * time.Second

// TaskRecord is what is kept about one task.
type TaskRecord struct {
	// State is the task's state, events included.
	State *structs.TaskState
	// Restarts is the restart policy's bookkeeping.
	Restarts RestartState
	// Driver names the driver Handle belongs to.
	Driver string
	// Handle is the driver's handle state (driver.RecoverableHandle) while
	// the task runs, nil otherwise.
	Handle []byte
}

// RestartState is a restart tracker's position in its policy's interval.
type RestartState struct {
	// Count is the restarts in the current interval.
	Count int
	// WindowStart is when the current interval began; zero if none has.
	WindowStart time.Time
}

// AllocRecord is an allocation with its tasks' records.
type AllocRecord struct {
	Alloc *structs.Allocation
	// Tasks by name; tasks never recorded are missing.
	Tasks map[string]*TaskRecord
}

// DB is an open state file.
type DB struct {
	bolt *bolt.DB
}

// Open opens (creating if needed) the state file at path.
func Open(path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("client state: %w", err)
	}
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: openTimeout})
	if err != nil {
		return nil, fmt.Errorf("client state: opening %s: %w", path, err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(allocsBucket)
		return err
	})
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("client state: initialising %s: %w", path, err)
	}
	return &DB{bolt: b}, nil
}

// Close closes the file. Later calls fail.
func (db *DB) Close() error { return db.bolt.Close() }

// PutAlloc records an allocation, replacing the previous version.
func (db *DB) PutAlloc(a *structs.Allocation) error {
	v, err := encode(a)
	if err != nil {
		return fmt.Errorf("client state: allocation %s: %w", a.ID, err)
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := tx.Bucket(allocsBucket).CreateBucketIfNotExists([]byte(a.ID))
		if err != nil {
			return err
		}
		return b.Put(allocKey, v)
	})
	if err != nil {
		return fmt.Errorf("client state: writing allocation %s: %w", a.ID, err)
	}
	return nil
}

// PutTask records a task of a recorded allocation. It does nothing when
// the allocation is not recorded (it was deleted): a task must not bring
// a destroyed allocation back.
func (db *DB) PutTask(allocID, task string, rec *TaskRecord) error {
	v, err := encode(rec)
	if err != nil {
		return fmt.Errorf("client state: task %q of allocation %s: %w", task, allocID, err)
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		ab := tx.Bucket(allocsBucket).Bucket([]byte(allocID))
		if ab == nil {
			return nil
		}
		tb, err := ab.CreateBucketIfNotExists(tasksBucket)
		if err != nil {
			return err
		}
		return tb.Put([]byte(task), v)
	})
	if err != nil {
		return fmt.Errorf("client state: writing task %q of allocation %s: %w", task, allocID, err)
	}
	return nil
}

// DeleteAlloc forgets an allocation and its tasks. Deleting an unknown
// allocation is not an error.
func (db *DB) DeleteAlloc(id string) error {
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		err := tx.Bucket(allocsBucket).DeleteBucket([]byte(id))
		if errors.Is(err, bolt.ErrBucketNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("client state: deleting allocation %s: %w", id, err)
	}
	return nil
}

// Allocs returns every recorded allocation. Records that cannot be decoded
// are left out and reported in the error, which the caller may log and
// otherwise ignore: the rest are returned.
func (db *DB) Allocs() ([]*AllocRecord, error) {
	var out []*AllocRecord
	var bad []error
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(allocsBucket).ForEachBucket(func(id []byte) error {
			ab := tx.Bucket(allocsBucket).Bucket(id)
			rec, err := readAlloc(ab)
			if err != nil {
				bad = append(bad, fmt.Errorf("allocation %s: %w", id, err))
				return nil
			}
			out = append(out, rec)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("client state: reading allocations: %w", err)
	}
	if len(bad) > 0 {
		return out, fmt.Errorf("client state: %w", errors.Join(bad...))
	}
	return out, nil
}

func readAlloc(ab *bolt.Bucket) (*AllocRecord, error) {
	v := ab.Get(allocKey)
	if v == nil {
		return nil, errors.New("no allocation recorded")
	}
	rec := &AllocRecord{Alloc: &structs.Allocation{}, Tasks: map[string]*TaskRecord{}}
	if err := structs.Decode(v, rec.Alloc); err != nil {
		return nil, fmt.Errorf("decoding: %w", err)
	}
	tb := ab.Bucket(tasksBucket)
	if tb == nil {
		return rec, nil
	}
	err := tb.ForEach(func(name, v []byte) error {
		var tr TaskRecord
		if err := structs.Decode(v, &tr); err != nil {
			return fmt.Errorf("decoding task %q: %w", name, err)
		}
		rec.Tasks[string(name)] = &tr
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rec, nil
}

func encode(v interface{}) ([]byte, error) {
	var buf bytes.Buffer
	if err := codec.NewEncoder(&buf, structs.MsgpackHandle).Encode(v); err != nil {
		return nil, fmt.Errorf("encoding: %w", err)
	}
	return buf.Bytes(), nil
}
