package server

import (
	"sync"

	"github.com/drover-project/drover/structs"
)

// BlockedEvals holds evaluations that could not place everything, one per
// job, until capacity changes; then it hands them back to the broker. It runs
// only on the leader and is rebuilt from state on a leadership change.
type BlockedEvals struct {
	broker *EvalBroker

	mu      sync.Mutex
	enabled bool
	byJob   map[structs.NamespacedID]*structs.Evaluation
	// superseded are blocked evals replaced by a newer one or made moot by a
	// successful eval; the leader marks them canceled in state.
	superseded []*structs.Evaluation
	notify     chan struct{}
}

// NewBlockedEvals returns a disabled tracker feeding broker.
func NewBlockedEvals(broker *EvalBroker) *BlockedEvals {
	return &BlockedEvals{broker: broker, byJob: make(map[structs.NamespacedID]*structs.Evaluation),
		notify: make(chan struct{}, 1)}
}

// SetEnabled turns tracking on or off (off flushes).
func (b *BlockedEvals) SetEnabled(on bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.enabled = on
	if !on {
		b.byJob = make(map[structs.NamespacedID]*structs.Evaluation)
		b.superseded = nil
	}
}

// Block tracks a blocked eval, superseding an older one of the same job.
func (b *BlockedEvals) Block(eval *structs.Evaluation) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.enabled {
		return
	}
	job := structs.NamespacedID{Namespace: eval.Namespace, ID: eval.JobID}
	if old, ok := b.byJob[job]; ok {
		if old.ID == eval.ID {
			return
		}
		if old.CreateIndex > eval.CreateIndex {
			b.supersedeLocked(eval)
			return
		}
		b.supersedeLocked(old)
	}
	b.byJob[job] = eval
}

// Resolved is told that eval finished; if it needed no blocked follow-up,
// any older blocked eval of its job is moot.
func (b *BlockedEvals) Resolved(eval *structs.Evaluation) {
	if eval.BlockedEval != "" {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	job := structs.NamespacedID{Namespace: eval.Namespace, ID: eval.JobID}
	if old, ok := b.byJob[job]; ok && old.ID != eval.ID && old.CreateIndex < eval.CreateIndex {
		delete(b.byJob, job)
		b.supersedeLocked(old)
	}
}

func (b *BlockedEvals) supersedeLocked(e *structs.Evaluation) {
	b.superseded = append(b.superseded, e)
	select {
	case b.notify <- struct{}{}:
	default:
	}
}

// UnblockAll hands every blocked eval to the broker: capacity changed, so
// each may now fit. The scheduler blocks again what still does not.
func (b *BlockedEvals) UnblockAll() {
	b.mu.Lock()
	evals := make([]*structs.Evaluation, 0, len(b.byJob))
	for job, e := range b.byJob {
		evals = append(evals, e)
		delete(b.byJob, job)
	}
	b.mu.Unlock()
	for _, e := range evals {
		b.broker.Enqueue(e)
	}
}

// Superseded returns and clears the evals to cancel, and a channel that
// receives when more arrive.
func (b *BlockedEvals) Superseded() ([]*structs.Evaluation, <-chan struct{}) {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.superseded
	b.superseded = nil
	return out, b.notify
}

// Len returns the number of blocked evals.
func (b *BlockedEvals) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.byJob)
}
