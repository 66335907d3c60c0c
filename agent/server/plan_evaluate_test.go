package server

import (
	"testing"

	"github.com/drover-project/drover/state"
	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

func TestEvaluatePlan_RejectsOvercommittedNode(t *testing.T) {
	s, err := state.NewStateStore()
	if err != nil {
		t.Fatal(err)
	}
	full, roomy := mock.Node(), mock.Node()
	full.NodeResources.Memory.MemoryMB = 600
	must(t, s.UpsertNode(1, full))
	must(t, s.UpsertNode(2, roomy))
	job := mock.Job() // 256 MB per alloc
	existing := mock.Alloc(job, full, 0)
	must(t, s.UpsertAllocs(3, []*structs.Allocation{existing}))

	plan := &structs.Plan{Job: job}
	// Two more on a 600 MB node that already holds 256 MB: 768 > 600.
	plan.AppendAlloc(mock.Alloc(job, full, 1))
	plan.AppendAlloc(mock.Alloc(job, full, 2))
	plan.AppendAlloc(mock.Alloc(job, roomy, 3))

	res, err := evaluatePlan(s.Snapshot(), plan)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.NodeAllocation[full.ID]) != 0 {
		t.Fatal("over-committed node accepted")
	}
	if len(res.NodeAllocation[roomy.ID]) != 1 {
		t.Fatal("node with room rejected")
	}
	if res.RefreshIndex != 3 {
		t.Fatalf("refresh index %d, want 3", res.RefreshIndex)
	}

	t.Run("stopping in the same plan frees room", func(t *testing.T) {
		p := &structs.Plan{Job: job}
		p.AppendStoppedAlloc(existing, "replaced", "")
		p.AppendAlloc(mock.Alloc(job, full, 1))
		p.AppendAlloc(mock.Alloc(job, full, 2))
		res, err := evaluatePlan(s.Snapshot(), p)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.NodeAllocation[full.ID]) != 2 || res.RefreshIndex != 0 {
			t.Fatalf("plan with a stop rejected: %+v", res)
		}
	})
	t.Run("down nodes take no new work", func(t *testing.T) {
		must(t, s.UpdateNodeStatus(4, roomy.ID, structs.NodeStatusDown, 0, nil))
		p := &structs.Plan{Job: job}
		p.AppendAlloc(mock.Alloc(job, roomy, 5))
		res, _ := evaluatePlan(s.Snapshot(), p)
		if len(res.NodeAllocation) != 0 || res.RefreshIndex == 0 {
			t.Fatalf("placement on a down node accepted: %+v", res)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
