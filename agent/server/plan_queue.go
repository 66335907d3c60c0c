package server

import (
	"context"
	"errors"
	"sync"

	"github.com/drover-project/drover/structs"
)

var errPlanQueueDisabled = errors.New("plan queue disabled")

// pendingPlan is a plan waiting for the applier, with where to send the
// answer.
type pendingPlan struct {
	plan   *structs.Plan
	result chan planAnswer
}

type planAnswer struct {
	result *structs.PlanResult
	err    error
}

// PlanQueue carries plans from workers to the single plan applier. It is
// enabled only on the leader.
type PlanQueue struct {
	mu      sync.Mutex
	enabled bool
	ch      chan *pendingPlan
}

// NewPlanQueue returns a disabled queue.
func NewPlanQueue() *PlanQueue { return &PlanQueue{} }

// SetEnabled enables the queue, or disables it and fails what is queued.
func (q *PlanQueue) SetEnabled(on bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if on == q.enabled {
		return
	}
	q.enabled = on
	if on {
		q.ch = make(chan *pendingPlan, 64)
		return
	}
	for {
		select {
		case p := <-q.ch:
			p.result <- planAnswer{err: errPlanQueueDisabled}
		default:
			q.ch = nil
			return
		}
	}
}

// Submit queues a plan and waits for its result.
func (q *PlanQueue) Submit(ctx context.Context, plan *structs.Plan) (*structs.PlanResult, error) {
	q.mu.Lock()
	ch, on := q.ch, q.enabled
	q.mu.Unlock()
	if !on {
		return nil, errPlanQueueDisabled
	}
	p := &pendingPlan{plan: plan, result: make(chan planAnswer, 1)}
	select {
	case ch <- p:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case a := <-p.result:
		return a.result, a.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// channel returns the queue's channel for the applier (nil when disabled).
func (q *PlanQueue) channel() chan *pendingPlan {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.ch
}
