package state

import (
	"context"
	"fmt"

	memdb "github.com/hashicorp/go-memdb"
)

// StateStore holds the cluster state. Its zero value is not usable; call
// NewStateStore.
type StateStore struct {
	db *memdb.MemDB
	// abandonCh is closed when the whole store is replaced (FSM restore), so
	// blocking queries on the old store wake up and re-read.
	abandonCh chan struct{}
}

// NewStateStore returns an empty store.
func NewStateStore() (*StateStore, error) {
	db, err := memdb.NewMemDB(schema())
	if err != nil {
		return nil, fmt.Errorf("creating state schema: %w", err)
	}
	return &StateStore{db: db, abandonCh: make(chan struct{})}, nil
}

// Snapshot returns a point-in-time, read-only view. It is cheap (the tree is
// immutable) and never blocks writers.
func (s *StateStore) Snapshot() *StateSnapshot {
	return &StateSnapshot{StateStore: StateStore{db: s.db.Snapshot(), abandonCh: s.abandonCh}}
}

// SnapshotMinIndex waits until the store has applied index, then snapshots.
func (s *StateStore) SnapshotMinIndex(ctx context.Context, index uint64) (*StateSnapshot, error) {
	for {
		ws := memdb.NewWatchSet()
		if s.latestIndex(ws) >= index {
			return s.Snapshot(), nil
		}
		if err := ws.WatchCtx(ctx); err != nil {
			return nil, fmt.Errorf("waiting for state index %d: %w", index, err)
		}
	}
}

// AbandonCh is closed when the store has been replaced by a restore.
func (s *StateStore) AbandonCh() <-chan struct{} { return s.abandonCh }

// Abandon closes AbandonCh; the FSM calls it after swapping in a restored store.
func (s *StateStore) Abandon() { close(s.abandonCh) }

// StateSnapshot is a read-only view of the store at one moment.
type StateSnapshot struct {
	StateStore
}

// LatestIndex returns the highest Raft index applied to any table.
func (s *StateStore) LatestIndex() uint64 { return s.latestIndex(nil) }

func (s *StateStore) latestIndex(ws memdb.WatchSet) uint64 {
	txn := s.db.Txn(false)
	it, err := txn.Get(TableIndex, "id")
	if err != nil {
		return 0
	}
	if ws != nil {
		ws.Add(it.WatchCh())
	}
	var max uint64
	for raw := it.Next(); raw != nil; raw = it.Next() {
		if v := raw.(*IndexEntry).Value; v > max {
			max = v
		}
	}
	return max
}

// Index returns the Raft index of the last write to table (0 if none).
func (s *StateStore) Index(table string) uint64 {
	raw, err := s.db.Txn(false).First(TableIndex, "id", table)
	if err != nil || raw == nil {
		return 0
	}
	return raw.(*IndexEntry).Value
}

// setIndex records that table was written at index.
func setIndex(txn *memdb.Txn, table string, index uint64) error {
	if err := txn.Insert(TableIndex, &IndexEntry{Key: table, Value: index}); err != nil {
		return fmt.Errorf("updating index of %s: %w", table, err)
	}
	return nil
}

// MaxIndex returns the highest write index among tables: the index a query
// reading them reflects.
func (s *StateStore) MaxIndex(tables ...string) uint64 {
	var max uint64
	for _, t := range tables {
		if i := s.Index(t); i > max {
			max = i
		}
	}
	return max
}
