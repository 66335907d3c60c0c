package state

import (
	"errors"
	"testing"

	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

func TestStopAlloc(t *testing.T) {
	s := newStore(t)
	job := mock.Job()
	node := mock.Node()
	must(t, s.UpsertJob(1, job, nil))
	a := mock.Alloc(job, node, 0)
	a.ClientStatus = structs.AllocClientStatusRunning
	must(t, s.UpsertAllocs(2, []*structs.Allocation{a}))

	eval := mock.Eval(job)
	must(t, s.StopAlloc(3, a.ID, "stopped", 99, []*structs.Evaluation{eval}))
	got, _ := s.AllocByID(nil, a.ID)
	if got.DesiredStatus != structs.AllocDesiredStatusStop || got.DesiredDescription != "stopped" ||
		got.AllocModifyIndex != 3 || got.ModifyTime != 99 || got.ClientStatus != structs.AllocClientStatusRunning {
		t.Fatalf("alloc after stop: %+v", got)
	}
	if e, _ := s.EvalByID(nil, eval.ID); e == nil || e.CreateIndex != 3 {
		t.Fatalf("eval not stored with the stop: %+v", e)
	}
	if idx := s.Index(TableAllocs); idx != 3 {
		t.Fatalf("allocs index = %d", idx)
	}

	err := s.StopAlloc(4, "nope", "stopped", 100, []*structs.Evaluation{mock.Eval(job)})
	if !errors.Is(err, structs.ErrNotFound) {
		t.Fatalf("unknown alloc: err = %v", err)
	}
	if s.LatestIndex() != 3 {
		t.Fatalf("a failed stop wrote something: latest index %d", s.LatestIndex())
	}
}
