package scheduler

import (
	"fmt"
	"testing"

	"github.com/drover-project/drover/structs"
)

func TestServiceSched_PlacesCount(t *testing.T) {
	h := newHarness(t)
	for i := 0; i < 10; i++ {
		h.addNodes(mockNode())
	}
	job := mockJob()
	job.TaskGroups[0].Count = 10
	job = h.upsertJob(job)
	eval := evalFor(job)
	h.process(eval)

	plan := h.lastPlan()
	if plan.EvalID != eval.ID || plan.Job != job || plan.Priority != eval.Priority || plan.SnapshotIndex == 0 {
		t.Fatalf("plan header wrong: eval %q job %v priority %d snapshot %d", plan.EvalID, plan.Job, plan.Priority, plan.SnapshotIndex)
	}
	got := placed(plan)
	if len(got) != 10 || len(stopped(plan)) != 0 {
		t.Fatalf("placed %d stopped %d, want 10 and 0", len(got), len(stopped(plan)))
	}
	seenNames := make(map[string]bool)
	nodes := make(map[string]bool)
	for _, a := range got {
		seenNames[a.Name] = true
		nodes[a.NodeID] = true
		if a.ID == "" || a.EvalID != eval.ID || a.JobID != job.ID || a.Job != job || a.TaskGroup != "web" ||
			a.Namespace != job.Namespace || a.NodeName == "" || a.AllocatedResources == nil || a.Metrics == nil ||
			a.DesiredStatus != structs.AllocDesiredStatusRun || a.ClientStatus != structs.AllocClientStatusPending ||
			a.PreviousAllocation != "" {
			t.Fatalf("placed alloc has wrong fields: %+v", a)
		}
		if a.Metrics.NodesEvaluated == 0 || a.Metrics.NodesAvailable["dc1"] != 10 || len(a.Metrics.Scores) == 0 {
			t.Fatalf("placement metric incomplete: %+v", a.Metrics)
		}
	}
	for i := 0; i < 10; i++ {
		if name := structs.AllocName(job.ID, "web", i); !seenNames[name] {
			t.Fatalf("missing placement %s", name)
		}
	}
	// Job anti-affinity spreads the group even though bin-packing alone
	// would stack it.
	if len(nodes) < 5 {
		t.Fatalf("10 allocs landed on only %d nodes", len(nodes))
	}
	final := h.lastEval()
	if final.Status != structs.EvalStatusComplete || final.QueuedAllocations["web"] != 0 ||
		len(final.FailedTGAllocs) != 0 || final.BlockedEval != "" || len(h.created) != 0 {
		t.Fatalf("final eval wrong: %+v (created %d)", final, len(h.created))
	}
	if len(h.liveAllocs(job)) != 10 {
		t.Fatalf("state holds %d live allocs, want 10", len(h.liveAllocs(job)))
	}
}

func TestServiceSched_NotEnoughMemory(t *testing.T) {
	h := newHarness(t)
	h.addNodes(mockNode())
	job := mockJob()
	job.TaskGroups[0].Tasks[0].Resources.MemoryMB = 10000
	job = h.upsertJob(job)
	eval := evalFor(job)
	h.process(eval)

	if len(h.plans) != 0 {
		t.Fatalf("no-op plan was submitted: %+v", h.plans[0])
	}
	final := h.lastEval()
	m := final.FailedTGAllocs["web"]
	if m == nil {
		t.Fatalf("no failed metric for web: %+v", final)
	}
	if m.NodesEvaluated != 1 || m.NodesExhausted != 1 || m.DimensionExhausted["memory"] != 1 || m.CoalescedFailures != 1 {
		t.Fatalf("failed metric wrong: %+v", m)
	}
	if final.QueuedAllocations["web"] != 2 || final.Status != structs.EvalStatusComplete {
		t.Fatalf("queued %v status %q", final.QueuedAllocations, final.Status)
	}
	if len(h.created) != 1 {
		t.Fatalf("created %d evals, want 1 blocked", len(h.created))
	}
	b := h.created[0]
	if b.ID != final.BlockedEval || b.Status != structs.EvalStatusBlocked || b.TriggeredBy != structs.EvalTriggerQueuedAllocs ||
		b.PreviousEval != eval.ID || b.JobID != job.ID || b.Type != eval.Type || b.Priority != eval.Priority ||
		b.Namespace != eval.Namespace {
		t.Fatalf("blocked eval wrong: %+v (final.BlockedEval %q)", b, final.BlockedEval)
	}
}

// TestServiceSched_NeverOverCommits places 10 allocations where 3 fit: the
// harness fails the test if the committed plan over-commits the node.
func TestServiceSched_NeverOverCommits(t *testing.T) {
	h := newHarness(t)
	node := mockNode()
	h.addNodes(node)
	job := mockJob()
	job.TaskGroups[0].Count = 10
	job.TaskGroups[0].Tasks[0].Resources.MemoryMB = 2500
	job = h.upsertJob(job)
	h.process(evalFor(job))

	if got := len(placed(h.lastPlan())); got != 3 {
		t.Fatalf("placed %d, want 3", got)
	}
	final := h.lastEval()
	if final.QueuedAllocations["web"] != 7 || final.FailedTGAllocs["web"].CoalescedFailures != 6 {
		t.Fatalf("queued %v failed %+v", final.QueuedAllocations, final.FailedTGAllocs["web"])
	}
	if final.BlockedEval == "" {
		t.Fatalf("no blocked eval for the 7 queued allocs")
	}
}

func TestServiceSched_BinPackPrefersFullerNode(t *testing.T) {
	h := newHarness(t)
	empty, busy := mockNode(), mockNode()
	h.addNodes(empty, busy)
	other := h.upsertJob(mockJob())
	h.addAllocs(mockAlloc(other, busy, 0), mockAlloc(other, busy, 1))

	job := mockJob()
	job.TaskGroups[0].Count = 1
	job = h.upsertJob(job)
	h.process(evalFor(job))
	got := placed(h.lastPlan())
	if len(got) != 1 || got[0].NodeID != busy.ID {
		t.Fatalf("placed on %v, want the busy node %s", got, busy.ID)
	}
	m := got[0].Metrics
	if m.Scores[busy.ID+".binpack"] <= m.Scores[empty.ID+".binpack"] {
		t.Fatalf("busy node should score higher: %v", m.Scores)
	}
}

func TestServiceSched_Deterministic(t *testing.T) {
	var nodes []*structs.Node
	for i := 0; i < 20; i++ {
		nodes = append(nodes, mockNode())
	}
	job := mockJob()
	job.TaskGroups[0].Count = 8
	eval := evalFor(job)
	run := func() map[string]string {
		h := newHarness(t)
		h.addNodes(nodes...)
		h.upsertJob(job)
		h.process(eval)
		out := make(map[string]string)
		for _, a := range placed(h.lastPlan()) {
			out[a.Name] = a.NodeID
		}
		return out
	}
	first, second := run(), run()
	if len(first) != 8 || fmt.Sprint(first) != fmt.Sprint(second) {
		t.Fatalf("same input, different placements:\n%v\n%v", first, second)
	}
}

func TestServiceSched_DistinctHosts(t *testing.T) {
	h := newHarness(t)
	h.addNodes(mockNode(), mockNode(), mockNode())
	job := mockJob()
	job.TaskGroups[0].Count = 4
	c := &structs.Constraint{Operand: "distinct_hosts"}
	job.TaskGroups[0].Constraints = []*structs.Constraint{c}
	job = h.upsertJob(job)
	h.process(evalFor(job))

	got := placed(h.lastPlan())
	nodes := make(map[string]bool)
	for _, a := range got {
		nodes[a.NodeID] = true
	}
	if len(got) != 3 || len(nodes) != 3 {
		t.Fatalf("placed %d on %d nodes, want 3 on 3", len(got), len(nodes))
	}
	m := h.lastEval().FailedTGAllocs["web"]
	if m == nil || m.ConstraintFiltered[c.String()] != 3 {
		t.Fatalf("want 3 nodes filtered by distinct_hosts, got %+v", m)
	}
}
