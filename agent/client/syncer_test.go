package client

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/structs"
)

// counterSource reports a status that carries a version number.
type counterSource struct {
	id      string
	version atomic.Int64
}

func (s *counterSource) clientAlloc() *structs.Allocation {
	return &structs.Allocation{ID: s.id, ClientDescription: fmt.Sprint(s.version.Load())}
}

func TestSyncerBatches(t *testing.T) {
	cases := []struct {
		name        string
		failUpdates int
	}{
		{"coalesces", 0},
		{"retries without losing updates", 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFakeServer()
			srv.failUpdates = tc.failUpdates
			interval := 50 * time.Millisecond
			s := newAllocSyncer(srv, SystemClock{}, hclog.NewNullLogger(), interval, 5*time.Millisecond, 10*time.Millisecond)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() {
				defer close(done)
				s.run(ctx)
			}()

			sources := []*counterSource{{id: "a"}, {id: "b"}, {id: "c"}}
			const rounds = 200
			start := time.Now()
			var wg sync.WaitGroup
			for _, src := range sources {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 1; i <= rounds; i++ {
						src.version.Store(int64(i))
						s.markDirty(src.id, src)
						time.Sleep(time.Millisecond)
					}
				}()
			}
			wg.Wait()
			waitFor(t, "final versions", func() bool {
				srv.mu.Lock()
				defer srv.mu.Unlock()
				last := map[string]string{}
				for _, b := range srv.updates {
					for _, a := range b {
						last[a.ID] = a.ClientDescription
					}
				}
				for _, src := range sources {
					if last[src.id] != fmt.Sprint(rounds) {
						return false
					}
				}
				return true
			})
			elapsed := time.Since(start)
			cancel()
			<-done

			_, _, calls := srv.counts()
			// 600 markings, but never more than one call per interval.
			if max := int(elapsed/interval) + 2; calls > max {
				t.Fatalf("%d UpdateAllocs calls in %s, want at most %d", calls, elapsed, max)
			}
			srv.mu.Lock()
			defer srv.mu.Unlock()
			for i, b := range srv.updates {
				seen := map[string]bool{}
				for _, a := range b {
					if seen[a.ID] {
						t.Fatalf("batch %d holds %s twice", i, a.ID)
					}
					seen[a.ID] = true
				}
			}
		})
	}
}

func TestSyncerFinalFlush(t *testing.T) {
	srv := newFakeServer()
	s := newAllocSyncer(srv, SystemClock{}, hclog.NewNullLogger(), time.Hour, time.Millisecond, time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.run(ctx)
	}()
	first := &counterSource{id: "a"}
	s.markDirty("a", first)
	waitFor(t, "first update", func() bool { _, _, n := srv.counts(); return n == 1 })
	// The next send would wait an hour; shutting down must flush it.
	first.version.Store(7)
	s.markDirty("a", first)
	cancel()
	<-done
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if n := len(srv.updates); n != 2 || srv.updates[1][0].ClientDescription != "7" {
		t.Fatalf("updates = %d, want the final flush to send version 7", n)
	}
}
