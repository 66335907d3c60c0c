package server

import (
	"bytes"
	"io"
	"reflect"
	"sync"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"

	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

// recordingSink records what the FSM tells the leader.
type recordingSink struct {
	mu       sync.Mutex
	evals    []*structs.Evaluation
	capacity int
}

func (r *recordingSink) EvalsCommitted(evals []*structs.Evaluation) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.evals = append(r.evals, evals...)
}

func (r *recordingSink) CapacityChanged() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.capacity++
}

func newTestFSM(t *testing.T) (*FSM, *recordingSink) {
	t.Helper()
	sink := &recordingSink{}
	f, err := NewFSM(sink, hclog.NewNullLogger())
	if err != nil {
		t.Fatal(err)
	}
	return f, sink
}

func applyMsg(t *testing.T, f *FSM, index uint64, typ structs.MessageType, msg interface{}) interface{} {
	t.Helper()
	buf, err := structs.Encode(typ, msg)
	if err != nil {
		t.Fatal(err)
	}
	return f.Apply(&raft.Log{Index: index, Data: buf})
}

func TestFSM_ApplyEachMessage(t *testing.T) {
	f, sink := newTestFSM(t)
	node := mock.Node()
	job := mock.Job()
	job.TaskGroups[0].Tasks[0].Config = map[string]interface{}{"command": "/bin/echo", "args": []interface{}{"a", "b"}, "n": int64(3)}
	eval := mock.Eval(job)

	if r := applyMsg(t, f, 1, structs.NodeRegisterRequestType, &structs.NodeRegisterRequest{Node: node}); r != nil {
		t.Fatalf("node register: %v", r)
	}
	if r := applyMsg(t, f, 2, structs.JobRegisterRequestType, &structs.JobRegisterRequest{Job: job, Eval: eval, SubmitTime: 77}); r != nil {
		t.Fatalf("job register: %v", r)
	}
	if f.AppliedIndex() != 2 {
		t.Fatalf("applied index %d, want 2", f.AppliedIndex())
	}
	s := f.State()
	gotNode, _ := s.NodeByID(nil, node.ID)
	if gotNode == nil || gotNode.SecretID != node.SecretID {
		t.Fatalf("node not stored intact (secret must survive raft): %+v", gotNode)
	}
	gotJob, _ := s.JobByID(nil, job.Namespace, job.ID)
	if gotJob == nil || gotJob.SubmitTime != 77 {
		t.Fatalf("job: %+v", gotJob)
	}
	if !reflect.DeepEqual(gotJob.TaskGroups[0].Tasks[0].Config, job.TaskGroups[0].Tasks[0].Config) {
		t.Fatalf("driver config did not survive msgpack: %#v", gotJob.TaskGroups[0].Tasks[0].Config)
	}
	if len(sink.evals) != 1 || sink.evals[0].ID != eval.ID || sink.evals[0].CreateIndex != 2 {
		t.Fatalf("sink not told of the stored eval: %+v", sink.evals)
	}
	if sink.capacity != 1 {
		t.Fatalf("node register must signal capacity, got %d", sink.capacity)
	}

	alloc := mock.Alloc(job, node, 0)
	alloc.Job = nil
	alloc.ClientStatus = structs.AllocClientStatusPending
	if r := applyMsg(t, f, 3, structs.ApplyPlanResultsRequestType, &structs.ApplyPlanResultsRequest{
		Job: gotJob, AllocsUpdated: []*structs.Allocation{alloc}, EvalID: eval.ID, UpdatedAt: 5}); r != nil {
		t.Fatalf("plan: %v", r)
	}
	stored, _ := s.AllocByID(nil, alloc.ID)
	if stored == nil || stored.Job == nil || stored.CreateTime != 5 {
		t.Fatalf("plan alloc: %+v", stored)
	}

	upd := &structs.Allocation{ID: alloc.ID, NodeID: node.ID, ClientStatus: structs.AllocClientStatusComplete}
	if r := applyMsg(t, f, 4, structs.AllocClientUpdateRequestType, &structs.AllocClientUpdateRequest{Allocs: []*structs.Allocation{upd}, UpdatedAt: 9}); r != nil {
		t.Fatalf("client update: %v", r)
	}
	if sink.capacity != 2 {
		t.Fatalf("terminal client update must signal capacity, got %d", sink.capacity)
	}

	if r := applyMsg(t, f, 5, structs.NodeUpdateStatusRequestType, &structs.NodeUpdateStatusRequest{NodeID: node.ID, Status: structs.NodeStatusDown, UpdatedAt: 10}); r != nil {
		t.Fatalf("node status: %v", r)
	}
	if n, _ := s.NodeByID(nil, node.ID); n.Status != structs.NodeStatusDown {
		t.Fatalf("node status %q", n.Status)
	}

	if r := applyMsg(t, f, 6, structs.JobDeregisterRequestType, &structs.JobDeregisterRequest{Namespace: job.Namespace, JobID: job.ID}); r != nil {
		t.Fatalf("deregister: %v", r)
	}
	if j, _ := s.JobByID(nil, job.Namespace, job.ID); j == nil || !j.Stop {
		t.Fatalf("job not stopped: %+v", j)
	}
	if r := applyMsg(t, f, 7, structs.JobDeregisterRequestType, &structs.JobDeregisterRequest{Namespace: job.Namespace, JobID: "nope"}); r == nil {
		t.Fatal("deregistering an unknown job must return an error")
	}
	if r := applyMsg(t, f, 8, structs.JobDeregisterRequestType, &structs.JobDeregisterRequest{Namespace: job.Namespace, JobID: job.ID, Purge: true}); r != nil {
		t.Fatalf("purge: %v", r)
	}
	if j, _ := s.JobByID(nil, job.Namespace, job.ID); j != nil {
		t.Fatal("job not purged")
	}
}

func TestFSM_UnknownMessagePanics(t *testing.T) {
	f, _ := newTestFSM(t)
	defer func() {
		if recover() == nil {
			t.Fatal("an unknown message type must not be skipped")
		}
	}()
	f.Apply(&raft.Log{Index: 1, Data: []byte{200, 1, 2}})
}

// memSink is a raft.SnapshotSink over a buffer.
type memSink struct {
	bytes.Buffer
	cancelled bool
}

func (m *memSink) ID() string    { return "mem" }
func (m *memSink) Close() error  { return nil }
func (m *memSink) Cancel() error { m.cancelled = true; return nil }

func TestFSM_SnapshotRestoreRoundTrip(t *testing.T) {
	f, _ := newTestFSM(t)
	node := mock.Node()
	job := mock.Job()
	eval := mock.Eval(job)
	applyMsg(t, f, 1, structs.NodeRegisterRequestType, &structs.NodeRegisterRequest{Node: node})
	applyMsg(t, f, 2, structs.JobRegisterRequestType, &structs.JobRegisterRequest{Job: job, Eval: eval})
	alloc := mock.Alloc(job, node, 0)
	applyMsg(t, f, 3, structs.ApplyPlanResultsRequestType, &structs.ApplyPlanResultsRequest{Job: job, AllocsUpdated: []*structs.Allocation{alloc}})

	snap, err := f.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	sink := &memSink{}
	if err := snap.Persist(sink); err != nil {
		t.Fatal(err)
	}
	before := f.State()
	abandoned := before.AbandonCh()

	f2, _ := newTestFSM(t)
	if err := f2.Restore(io.NopCloser(bytes.NewReader(sink.Bytes()))); err != nil {
		t.Fatal(err)
	}
	after := f2.State()
	if after.LatestIndex() != before.LatestIndex() {
		t.Fatalf("index %d != %d", after.LatestIndex(), before.LatestIndex())
	}
	for _, pair := range []struct {
		name string
		a, b func() (interface{}, error)
	}{
		{"jobs", func() (interface{}, error) { return before.Jobs(nil) }, func() (interface{}, error) { return after.Jobs(nil) }},
		{"nodes", func() (interface{}, error) { return before.Nodes(nil) }, func() (interface{}, error) { return after.Nodes(nil) }},
		{"allocs", func() (interface{}, error) { return before.Allocs(nil) }, func() (interface{}, error) { return after.Allocs(nil) }},
		{"evals", func() (interface{}, error) { return before.Evals(nil) }, func() (interface{}, error) { return after.Evals(nil) }},
	} {
		a, err1 := pair.a()
		b, err2 := pair.b()
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s differ after restore:\n%#v\n%#v", pair.name, a, b)
		}
	}

	// Restoring over a live FSM swaps the store and wakes its watchers.
	if err := f.Restore(io.NopCloser(bytes.NewReader(sink.Bytes()))); err != nil {
		t.Fatal(err)
	}
	select {
	case <-abandoned:
	default:
		t.Fatal("old store not abandoned")
	}

	t.Run("corrupt snapshots are refused", func(t *testing.T) {
		f3, _ := newTestFSM(t)
		bad := append([]byte(nil), sink.Bytes()[:len(sink.Bytes())/2]...)
		if err := f3.Restore(io.NopCloser(bytes.NewReader(bad))); err == nil {
			t.Fatal("truncated snapshot restored without error")
		}
		if err := f3.Restore(io.NopCloser(bytes.NewReader([]byte{0x07}))); err == nil {
			t.Fatal("unknown snapshot version restored without error")
		}
	})
}
