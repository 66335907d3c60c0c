package state

import (
	"context"
	"time"

	memdb "github.com/hashicorp/go-memdb"
)

// QueryFn reads from a store, registering what it read in ws, and returns the
// index the result reflects.
type QueryFn func(ws memdb.WatchSet, s *StateStore) (index uint64, err error)

// Storer returns the current store; it changes when the FSM restores a
// snapshot, so blocking queries re-read it on every pass.
type Storer func() *StateStore

// BlockingQuery runs fn until it reports an index greater than minIndex, the
// wait elapses, or ctx ends. With minIndex 0 it runs fn once. It returns the
// last error fn returned. The index reported is never 0, so clients using it
// as their next minIndex always make progress.
func BlockingQuery(ctx context.Context, store Storer, minIndex uint64, wait time.Duration, fn QueryFn) (uint64, error) {
	if wait <= 0 {
		wait = 5 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	for {
		s := store()
		ws := memdb.NewWatchSet()
		ws.Add(s.AbandonCh())
		index, err := fn(ws, s)
		if index < 1 {
			index = 1
		}
		if err != nil || minIndex == 0 || index > minIndex {
			return index, err
		}
		if ws.WatchCtx(ctx) != nil {
			return index, nil // timed out: answer with what we have
		}
	}
}
