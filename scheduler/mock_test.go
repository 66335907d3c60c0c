package scheduler

import (
	"sort"

	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

// mockNode returns a ready node in dc1 with 4000 MHz and 8192 MB and the
// mock and raw_exec drivers.
func mockNode() *structs.Node { return mock.Node() }

// mockJob returns a service job with group "web" of count 2, each instance
// asking 500 MHz and 256 MB of the mock driver.
func mockJob() *structs.Job { return mock.Job() }

// mockBatchJob returns mockJob as a batch job.
func mockBatchJob() *structs.Job { return mock.BatchJob() }

// mockAlloc returns a running allocation idx of job's first group on node.
func mockAlloc(job *structs.Job, node *structs.Node, idx int) *structs.Allocation {
	return mock.Alloc(job, node, idx)
}

// addNodes stores nodes.
func (h *harness) addNodes(nodes ...*structs.Node) {
	h.t.Helper()
	for _, n := range nodes {
		if err := h.store.UpsertNode(h.nextIndex(), n); err != nil {
			h.t.Fatalf("upsert node: %v", err)
		}
	}
}

// upsertJob stores job and returns the stored version (with its indexes),
// which allocations should point to.
func (h *harness) upsertJob(job *structs.Job) *structs.Job {
	h.t.Helper()
	if err := h.store.UpsertJob(h.nextIndex(), job, nil); err != nil {
		h.t.Fatalf("upsert job: %v", err)
	}
	stored, err := h.store.JobByID(nil, job.Namespace, job.ID)
	if err != nil || stored == nil {
		h.t.Fatalf("read back job %s: %v", job.ID, err)
	}
	return stored
}

// addAllocs stores allocations as they are.
func (h *harness) addAllocs(allocs ...*structs.Allocation) {
	h.t.Helper()
	if err := h.store.UpsertAllocs(h.nextIndex(), allocs); err != nil {
		h.t.Fatalf("upsert allocs: %v", err)
	}
}

// evalFor returns a pending register evaluation for job.
func evalFor(job *structs.Job) *structs.Evaluation { return mock.Eval(job) }

// placed returns the plan's new or updated allocations ordered by name.
func placed(p *structs.Plan) []*structs.Allocation {
	return flatten(p.NodeAllocation)
}

// stopped returns the plan's stops ordered by name.
func stopped(p *structs.Plan) []*structs.Allocation {
	return flatten(p.NodeUpdate)
}

func flatten(m map[string][]*structs.Allocation) []*structs.Allocation {
	var out []*structs.Allocation
	for _, allocs := range m {
		out = append(out, allocs...)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// names returns the allocations' names.
func names(allocs []*structs.Allocation) []string {
	out := make([]string, len(allocs))
	for i, a := range allocs {
		out[i] = a.Name
	}
	return out
}

// liveAllocs returns the job's allocations in state that are not terminal.
func (h *harness) liveAllocs(job *structs.Job) []*structs.Allocation {
	h.t.Helper()
	all, err := h.store.AllocsByJob(nil, job.Namespace, job.ID)
	if err != nil {
		h.t.Fatalf("allocs by job: %v", err)
	}
	var out []*structs.Allocation
	for _, a := range all {
		if !a.TerminalStatus() {
			out = append(out, a)
		}
	}
	return out
}
