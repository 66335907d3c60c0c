package state

import (
	"context"
	"testing"
	"time"

	memdb "github.com/hashicorp/go-memdb"

	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

func newStore(t *testing.T) *StateStore {
	t.Helper()
	s, err := NewStateStore()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestUpsertJob_VersionsAndIndexes(t *testing.T) {
	s := newStore(t)
	job := mock.Job()
	eval := mock.Eval(job)
	if err := s.UpsertJob(10, job, []*structs.Evaluation{eval}); err != nil {
		t.Fatal(err)
	}
	got, err := s.JobByID(nil, job.Namespace, job.ID)
	if err != nil || got == nil {
		t.Fatalf("job not stored: %v", err)
	}
	if got.CreateIndex != 10 || got.ModifyIndex != 10 || got.JobModifyIndex != 10 || got.Version != 0 {
		t.Fatalf("indexes: %+v", got)
	}
	if got.Status != structs.JobStatusPending {
		t.Fatalf("status %q, want pending (eval outstanding)", got.Status)
	}
	if got == job {
		t.Fatal("store kept the caller's object")
	}
	if e, _ := s.EvalByID(nil, eval.ID); e == nil || e.CreateIndex != 10 {
		t.Fatalf("eval not stored with the job: %+v", e)
	}

	job2 := job.Copy()
	job2.TaskGroups[0].Count = 5
	if err := s.UpsertJob(12, job2, nil); err != nil {
		t.Fatal(err)
	}
	got, _ = s.JobByID(nil, job.Namespace, job.ID)
	if got.CreateIndex != 10 || got.JobModifyIndex != 12 || got.Version != 1 {
		t.Fatalf("after update: create %d modify %d version %d", got.CreateIndex, got.JobModifyIndex, got.Version)
	}
	if s.LatestIndex() != 12 || s.Index(TableJobs) != 12 || s.Index(TableEvals) != 10 {
		t.Fatalf("table indexes: latest %d jobs %d evals %d", s.LatestIndex(), s.Index(TableJobs), s.Index(TableEvals))
	}
}

func TestJobStatus_FollowsAllocsAndEvals(t *testing.T) {
	s := newStore(t)
	job := mock.Job()
	node := mock.Node()
	eval := mock.Eval(job)
	must(t, s.UpsertNode(1, node))
	must(t, s.UpsertJob(2, job, []*structs.Evaluation{eval}))
	status := func() string {
		j, _ := s.JobByID(nil, job.Namespace, job.ID)
		return j.Status
	}
	alloc := mock.Alloc(job, node, 0)
	alloc.ClientStatus = structs.AllocClientStatusPending
	must(t, s.UpsertPlanResults(3, &structs.ApplyPlanResultsRequest{Job: job, AllocsUpdated: []*structs.Allocation{alloc}}))
	if got := status(); got != structs.JobStatusRunning {
		t.Fatalf("with a live alloc: %q", got)
	}
	done := eval.Copy()
	done.Status = structs.EvalStatusComplete
	must(t, s.UpsertEvals(4, []*structs.Evaluation{done}))

	update := alloc.Copy()
	update.ClientStatus = structs.AllocClientStatusComplete
	must(t, s.UpdateAllocsFromClient(5, []*structs.Allocation{update}, 99, nil))
	if got := status(); got != structs.JobStatusDead {
		t.Fatalf("all allocs complete, no evals pending: %q", got)
	}
}

func TestUpdateAllocsFromClient_TakesOnlyClientFields(t *testing.T) {
	s := newStore(t)
	job, node := mock.Job(), mock.Node()
	alloc := mock.Alloc(job, node, 0)
	must(t, s.UpsertAllocs(5, []*structs.Allocation{alloc}))

	u := &structs.Allocation{ID: alloc.ID, ClientStatus: structs.AllocClientStatusFailed,
		DesiredStatus: structs.AllocDesiredStatusStop, NodeID: "someone-else",
		TaskStates: map[string]*structs.TaskState{"server": {State: structs.TaskStateDead, Failed: true}}}
	must(t, s.UpdateAllocsFromClient(6, []*structs.Allocation{u}, 1234, nil))
	got, _ := s.AllocByID(nil, alloc.ID)
	if got.ClientStatus != structs.AllocClientStatusFailed || !got.TaskStates["server"].Failed {
		t.Fatalf("client fields not applied: %+v", got)
	}
	if got.DesiredStatus != structs.AllocDesiredStatusRun || got.NodeID != node.ID {
		t.Fatalf("client overwrote server-owned fields: desired %q node %q", got.DesiredStatus, got.NodeID)
	}
	if got.ModifyIndex != 6 || got.AllocModifyIndex != 5 || got.ModifyTime != 1234 {
		t.Fatalf("indexes: modify %d allocModify %d time %d", got.ModifyIndex, got.AllocModifyIndex, got.ModifyTime)
	}
}

func TestUpsertPlanResults_StopsAndInPlaceUpdates(t *testing.T) {
	s := newStore(t)
	job, node := mock.Job(), mock.Node()
	a0, a1 := mock.Alloc(job, node, 0), mock.Alloc(job, node, 1)
	must(t, s.UpsertAllocs(5, []*structs.Allocation{a0, a1}))

	newJob := job.Copy()
	newJob.Version = 1
	inPlace := a0.Copy()
	inPlace.Job = newJob
	inPlace.ClientStatus = structs.AllocClientStatusPending
	inPlace.TaskStates = nil
	stop := &structs.Allocation{ID: a1.ID, DesiredStatus: structs.AllocDesiredStatusStop, DesiredDescription: "scaled down"}
	must(t, s.UpsertPlanResults(7, &structs.ApplyPlanResultsRequest{Job: newJob,
		AllocsUpdated: []*structs.Allocation{inPlace}, AllocsStopped: []*structs.Allocation{stop}, UpdatedAt: 42}))

	got0, _ := s.AllocByID(nil, a0.ID)
	if got0.Job.Version != 1 || got0.ClientStatus != structs.AllocClientStatusRunning || got0.CreateIndex != 5 {
		t.Fatalf("in-place update lost client state or create index: %+v", got0)
	}
	got1, _ := s.AllocByID(nil, a1.ID)
	if got1.DesiredStatus != structs.AllocDesiredStatusStop || got1.DesiredDescription != "scaled down" || got1.Job == nil {
		t.Fatalf("stop not applied: %+v", got1)
	}
	if got1.UsesResources() {
		t.Fatal("stopped alloc still counts against its node")
	}
}

func TestSnapshotIsIsolated(t *testing.T) {
	s := newStore(t)
	job := mock.Job()
	must(t, s.UpsertJob(1, job, nil))
	snap := s.Snapshot()
	must(t, s.DeleteJob(2, job.Namespace, job.ID, nil))
	if j, _ := snap.JobByID(nil, job.Namespace, job.ID); j == nil {
		t.Fatal("snapshot saw a later delete")
	}
	if j, _ := s.JobByID(nil, job.Namespace, job.ID); j != nil {
		t.Fatal("delete not applied")
	}
	if err := s.DeleteJob(3, job.Namespace, job.ID, nil); err == nil {
		t.Fatal("deleting a missing job must fail")
	}
}

func TestBlockingQuery(t *testing.T) {
	s := newStore(t)
	must(t, s.UpsertJob(5, mock.Job(), nil))
	store := func() *StateStore { return s }
	jobsIndex := func(ws memdb.WatchSet, st *StateStore) (uint64, error) {
		if _, err := st.Jobs(ws); err != nil {
			return 0, err
		}
		return st.Index(TableJobs), nil
	}

	t.Run("returns at once below index", func(t *testing.T) {
		idx, err := BlockingQuery(context.Background(), store, 3, time.Minute, jobsIndex)
		if err != nil || idx != 5 {
			t.Fatalf("idx %d err %v", idx, err)
		}
	})
	t.Run("wakes on write", func(t *testing.T) {
		go func() {
			time.Sleep(20 * time.Millisecond)
			_ = s.UpsertJob(9, mock.Job(), nil)
		}()
		idx, err := BlockingQuery(context.Background(), store, 5, time.Minute, jobsIndex)
		if err != nil || idx != 9 {
			t.Fatalf("idx %d err %v", idx, err)
		}
	})
	t.Run("times out with the current index", func(t *testing.T) {
		idx, err := BlockingQuery(context.Background(), store, 9, 30*time.Millisecond, jobsIndex)
		if err != nil || idx != 9 {
			t.Fatalf("idx %d err %v", idx, err)
		}
	})
	t.Run("never reports zero", func(t *testing.T) {
		empty := newStore(t)
		idx, _ := BlockingQuery(context.Background(), func() *StateStore { return empty }, 0, time.Second, jobsIndex)
		if idx != 1 {
			t.Fatalf("idx %d", idx)
		}
	})
}

func TestJobSummary(t *testing.T) {
	s := newStore(t)
	job, node := mock.Job(), mock.Node()
	a0, a1 := mock.Alloc(job, node, 0), mock.Alloc(job, node, 1)
	a1.ClientStatus = structs.AllocClientStatusFailed
	must(t, s.UpsertJob(1, job, nil))
	must(t, s.UpsertAllocs(2, []*structs.Allocation{a0, a1}))
	e := mock.Eval(job)
	e.Status = structs.EvalStatusComplete
	e.QueuedAllocations = map[string]int{"web": 3}
	must(t, s.UpsertEvals(3, []*structs.Evaluation{e}))
	sum, err := s.JobSummary(nil, job.Namespace, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := structs.TaskGroupSummary{Running: 1, Failed: 1, Queued: 3}
	if sum.Summary["web"] != want {
		t.Fatalf("summary %+v, want %+v", sum.Summary["web"], want)
	}
}

func TestSnapshotMinIndexWaits(t *testing.T) {
	s := newStore(t)
	go func() {
		time.Sleep(20 * time.Millisecond)
		_ = s.UpsertNode(4, mock.Node())
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	snap, err := s.SnapshotMinIndex(ctx, 4)
	if err != nil || snap.LatestIndex() < 4 {
		t.Fatalf("snapshot at %v: %v", snap, err)
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel2()
	if _, err := s.SnapshotMinIndex(ctx2, 100); err == nil {
		t.Fatal("expected a timeout waiting for index 100")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
