package server

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

func dequeue(t *testing.T, b *EvalBroker) (*structs.Evaluation, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	e, tok, err := b.Dequeue(ctx, schedulerTypes)
	if err != nil {
		t.Fatalf("dequeue: %v", err)
	}
	return e, tok
}

func expectEmpty(t *testing.T, b *EvalBroker) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if e, _, err := b.Dequeue(ctx, schedulerTypes); err == nil {
		t.Fatalf("expected nothing ready, got eval %s", e.ID)
	}
}

func TestEvalBroker_AckNackRedeliver(t *testing.T) {
	b := NewEvalBroker(time.Minute, 2)
	b.SetEnabled(true)
	job := mock.Job()
	e := mock.Eval(job)
	b.Enqueue(e)
	b.Enqueue(e) // duplicate enqueue is ignored

	got, tok := dequeue(t, b)
	if got.ID != e.ID || !b.Outstanding(e.ID, tok) {
		t.Fatal("dequeued eval not outstanding")
	}
	expectEmpty(t, b)
	if err := b.Ack(e.ID, "wrong-token"); !errors.Is(err, errTokenMismatch) {
		t.Fatalf("ack with a wrong token: %v", err)
	}
	if err := b.Nack(e.ID, tok); err != nil {
		t.Fatal(err)
	}
	got, tok2 := dequeue(t, b)
	if got.ID != e.ID || tok2 == tok {
		t.Fatal("nacked eval not redelivered with a new token")
	}
	// Second delivery reaches the limit: a nack sends it to the failed queue.
	if err := b.Nack(e.ID, tok2); err != nil {
		t.Fatal(err)
	}
	expectEmpty(t, b)
	if s := b.Stats(); s.Failed != 1 {
		t.Fatalf("stats %+v, want 1 failed", s)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	failed, _, err := b.Dequeue(ctx, []string{failedQueue})
	if err != nil || failed.ID != e.ID {
		t.Fatalf("failed queue: %v %v", failed, err)
	}
}

func TestEvalBroker_NackTimeoutRedelivers(t *testing.T) {
	b := NewEvalBroker(30*time.Millisecond, 5)
	b.SetEnabled(true)
	e := mock.Eval(mock.Job())
	b.Enqueue(e)
	_, tok := dequeue(t, b)
	got, tok2 := dequeue(t, b) // waits for the ack deadline to pass
	if got.ID != e.ID || tok2 == tok {
		t.Fatal("eval not redelivered after its ack deadline")
	}
	if err := b.Ack(e.ID, tok); err == nil {
		t.Fatal("ack with the expired token must fail")
	}
	if err := b.Ack(e.ID, tok2); err != nil {
		t.Fatal(err)
	}
}

func TestEvalBroker_OneEvalPerJobInFlight(t *testing.T) {
	b := NewEvalBroker(time.Minute, 3)
	b.SetEnabled(true)
	job := mock.Job()
	first, second := mock.Eval(job), mock.Eval(job)
	second.CreateIndex = 10
	other := mock.Eval(mock.Job())
	b.Enqueue(first)
	b.Enqueue(second)
	b.Enqueue(other)

	a, tokA := dequeue(t, b)
	c, tokC := dequeue(t, b)
	ids := map[string]bool{a.ID: true, c.ID: true}
	if !ids[first.ID] || !ids[other.ID] {
		t.Fatalf("expected the first eval of each job, got %s and %s", a.ID, c.ID)
	}
	expectEmpty(t, b) // second waits for first
	if a.ID == first.ID {
		_ = b.Ack(a.ID, tokA)
	} else {
		_ = b.Ack(c.ID, tokC)
	}
	got, _ := dequeue(t, b)
	if got.ID != second.ID {
		t.Fatalf("after ack, got %s, want the job's next eval", got.ID)
	}
}

func TestEvalBroker_PriorityAndDisable(t *testing.T) {
	b := NewEvalBroker(time.Minute, 3)
	b.Enqueue(mock.Eval(mock.Job())) // disabled: dropped
	b.SetEnabled(true)
	expectEmpty(t, b)

	low, high := mock.Eval(mock.Job()), mock.Eval(mock.Job())
	low.Priority, high.Priority = 10, 90
	b.Enqueue(low)
	b.Enqueue(high)
	if got, _ := dequeue(t, b); got.ID != high.ID {
		t.Fatal("higher priority eval not first")
	}
	b.SetEnabled(false)
	if _, _, err := b.Dequeue(context.Background(), schedulerTypes); !errors.Is(err, errBrokerDisabled) {
		t.Fatalf("disabled broker dequeue: %v", err)
	}
}
