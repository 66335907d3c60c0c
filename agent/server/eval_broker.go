package server

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/drover-project/drover/structs"
)

// failedQueue is where the broker puts evals that exceeded their delivery
// limit; the leader marks them failed.
const failedQueue = "_failed"

var (
	errBrokerDisabled = errors.New("eval broker disabled")
	errTokenMismatch  = errors.New("evaluation token does not match")
	errNotOutstanding = errors.New("evaluation is not outstanding")
)

// EvalBroker hands evaluations to scheduler workers with at-least-once
// delivery: a dequeued eval must be acked, or it is redelivered when nacked
// or when its ack deadline passes, up to a delivery limit. At most one eval
// per job is in flight, so two workers never schedule one job at once; the
// rest wait, and only the newest waiting one is kept runnable (older ones are
// superseded by it, as a newer eval sees the newer job).
//
// It runs only on the leader: SetEnabled(false) drops everything, since the
// state store holds the evals and the next leader rebuilds from it.
type EvalBroker struct {
	nackTimeout   time.Duration
	deliveryLimit int

	mu      sync.Mutex
	enabled bool
	// ready holds runnable evals per scheduler type.
	ready map[string]*evalHeap
	// unack holds dequeued evals awaiting Ack/Nack.
	unack map[string]*unackEval
	// inflight maps a job to the ID of its eval that is ready or unacked.
	inflight map[structs.NamespacedID]string
	// blocked holds, per job, evals waiting for the in-flight one to finish.
	blocked map[structs.NamespacedID]*evalHeap
	// deliveries counts dequeues per eval ID.
	deliveries map[string]int
	// known is every eval ID in the broker, to drop duplicate enqueues.
	known map[string]struct{}
	// wake is closed and replaced whenever a ready eval is added.
	wake chan struct{}
}

type unackEval struct {
	eval  *structs.Evaluation
	token string
	timer *time.Timer
}

// NewEvalBroker returns a disabled broker.
func NewEvalBroker(nackTimeout time.Duration, deliveryLimit int) *EvalBroker {
	b := &EvalBroker{nackTimeout: nackTimeout, deliveryLimit: deliveryLimit}
	b.reset()
	return b
}

func (b *EvalBroker) reset() {
	for _, u := range b.unack {
		u.timer.Stop()
	}
	b.ready = make(map[string]*evalHeap)
	b.unack = make(map[string]*unackEval)
	b.inflight = make(map[structs.NamespacedID]string)
	b.blocked = make(map[structs.NamespacedID]*evalHeap)
	b.deliveries = make(map[string]int)
	b.known = make(map[string]struct{})
	if b.wake != nil {
		close(b.wake)
	}
	b.wake = make(chan struct{})
}

// SetEnabled turns the broker on (leader) or off (flushing all evals).
func (b *EvalBroker) SetEnabled(on bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.enabled = on
	if !on {
		b.reset()
	}
}

// Enabled reports whether the broker accepts evals.
func (b *EvalBroker) Enabled() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.enabled
}

// Enqueue adds a pending eval. It is a no-op when disabled or when the eval
// is already in the broker.
func (b *EvalBroker) Enqueue(eval *structs.Evaluation) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.enabled {
		return
	}
	if _, ok := b.known[eval.ID]; ok {
		return
	}
	b.known[eval.ID] = struct{}{}
	b.enqueueLocked(eval, eval.Type)
}

func (b *EvalBroker) enqueueLocked(eval *structs.Evaluation, queue string) {
	job := structs.NamespacedID{Namespace: eval.Namespace, ID: eval.JobID}
	if queue != failedQueue {
		if id, busy := b.inflight[job]; busy && id != eval.ID {
			h := b.blocked[job]
			if h == nil {
				h = &evalHeap{}
				b.blocked[job] = h
			}
			heap.Push(h, eval)
			return
		}
		b.inflight[job] = eval.ID
	}
	h := b.ready[queue]
	if h == nil {
		h = &evalHeap{}
		b.ready[queue] = h
	}
	heap.Push(h, eval)
	close(b.wake)
	b.wake = make(chan struct{})
}

// Dequeue waits for an eval of one of the scheduler types and returns it with
// a token that Ack, Nack and the plan applier check.
func (b *EvalBroker) Dequeue(ctx context.Context, types []string) (*structs.Evaluation, string, error) {
	for {
		b.mu.Lock()
		if !b.enabled {
			b.mu.Unlock()
			return nil, "", errBrokerDisabled
		}
		if eval, queue := b.pickLocked(types); eval != nil {
			token := structs.GenerateUUID()
			b.deliveries[eval.ID]++
			u := &unackEval{eval: eval, token: token}
			u.timer = time.AfterFunc(b.nackTimeout, func() { _ = b.Nack(eval.ID, token) })
			if queue != failedQueue {
				b.unack[eval.ID] = u
			} else {
				u.timer.Stop()
				delete(b.known, eval.ID)
			}
			b.mu.Unlock()
			return eval, token, nil
		}
		wake := b.wake
		b.mu.Unlock()
		select {
		case <-ctx.Done():
			return nil, "", ctx.Err()
		case <-wake:
		}
	}
}

// pickLocked pops the highest-priority eval among the queues.
func (b *EvalBroker) pickLocked(types []string) (*structs.Evaluation, string) {
	var best *evalHeap
	var bestQueue string
	for _, t := range types {
		h := b.ready[t]
		if h == nil || h.Len() == 0 {
			continue
		}
		if best == nil || h.less((*h)[0], (*best)[0]) {
			best, bestQueue = h, t
		}
	}
	if best == nil {
		return nil, ""
	}
	return heap.Pop(best).(*structs.Evaluation), bestQueue
}

// Outstanding reports whether id is dequeued under token.
func (b *EvalBroker) Outstanding(id, token string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	u, ok := b.unack[id]
	return ok && u.token == token
}

// OutstandingReset pushes back the ack deadline of a long-running eval.
func (b *EvalBroker) OutstandingReset(id, token string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	u, ok := b.unack[id]
	if !ok {
		return errNotOutstanding
	}
	if u.token != token {
		return errTokenMismatch
	}
	u.timer.Reset(b.nackTimeout)
	return nil
}

// Ack completes an eval; the job's next waiting eval becomes ready.
func (b *EvalBroker) Ack(id, token string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	u, err := b.takeUnackLocked(id, token)
	if err != nil {
		return err
	}
	delete(b.deliveries, id)
	delete(b.known, id)
	job := structs.NamespacedID{Namespace: u.eval.Namespace, ID: u.eval.JobID}
	delete(b.inflight, job)
	if h := b.blocked[job]; h != nil && h.Len() > 0 {
		next := heap.Pop(h).(*structs.Evaluation)
		if h.Len() == 0 {
			delete(b.blocked, job)
		}
		b.enqueueLocked(next, next.Type)
	}
	return nil
}

// Nack returns an eval for redelivery, or to the failed queue once it has
// been delivered deliveryLimit times.
func (b *EvalBroker) Nack(id, token string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	u, err := b.takeUnackLocked(id, token)
	if err != nil {
		return err
	}
	job := structs.NamespacedID{Namespace: u.eval.Namespace, ID: u.eval.JobID}
	if b.deliveries[id] >= b.deliveryLimit {
		delete(b.inflight, job)
		b.enqueueLocked(u.eval, failedQueue)
		// Let the job's other evals proceed.
		if h := b.blocked[job]; h != nil && h.Len() > 0 {
			next := heap.Pop(h).(*structs.Evaluation)
			b.enqueueLocked(next, next.Type)
		}
		return nil
	}
	b.enqueueLocked(u.eval, u.eval.Type)
	return nil
}

func (b *EvalBroker) takeUnackLocked(id, token string) (*unackEval, error) {
	u, ok := b.unack[id]
	if !ok {
		return nil, fmt.Errorf("eval %s: %w", id, errNotOutstanding)
	}
	if u.token != token {
		return nil, fmt.Errorf("eval %s: %w", id, errTokenMismatch)
	}
	u.timer.Stop()
	delete(b.unack, id)
	return u, nil
}

// BrokerStats counts evals by where they are.
type BrokerStats struct {
	Ready, Unacked, Blocked, Failed int
}

// Stats returns current counts.
func (b *EvalBroker) Stats() BrokerStats {
	b.mu.Lock()
	defer b.mu.Unlock()
	var s BrokerStats
	for q, h := range b.ready {
		if q == failedQueue {
			s.Failed += h.Len()
		} else {
			s.Ready += h.Len()
		}
	}
	s.Unacked = len(b.unack)
	for _, h := range b.blocked {
		s.Blocked += h.Len()
	}
	return s
}

// evalHeap orders evals by priority (high first), then age (old first).
type evalHeap []*structs.Evaluation

func (h evalHeap) less(a, b *structs.Evaluation) bool {
	if a.Priority != b.Priority {
		return a.Priority > b.Priority
	}
	return a.CreateIndex < b.CreateIndex
}
func (h evalHeap) Len() int           { return len(h) }
func (h evalHeap) Less(i, j int) bool { return h.less(h[i], h[j]) }
func (h evalHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *evalHeap) Push(x any)        { *h = append(*h, x.(*structs.Evaluation)) }
func (h *evalHeap) Pop() any {
	old := *h
	n := len(old)
	x := old[n-1]
	*h = old[:n-1]
	return x
}
