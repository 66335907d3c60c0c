package scheduler

import (
	"testing"

	"github.com/drover-project/drover/structs"
)

// BenchmarkServiceSchedule places one job of count 100 over 1000 nodes.
// Plans are recorded but not committed, so every iteration does the same
// work.
func BenchmarkServiceSchedule(b *testing.B) {
	h := newHarness(b)
	h.noApply = true
	for i := 0; i < 1000; i++ {
		h.addNodes(mockNode())
	}
	job := mockJob()
	job.TaskGroups[0].Count = 100
	job = h.upsertJob(job)
	sched, err := New(structs.JobTypeService, h.logger, h.store, h)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	placements := 0
	for i := 0; i < b.N; i++ {
		h.plans, h.evals = h.plans[:0], h.evals[:0]
		if err := sched.Process(evalFor(job)); err != nil {
			b.Fatal(err)
		}
		placements += len(placed(h.lastPlan()))
	}
	b.ReportMetric(float64(placements)/b.Elapsed().Seconds(), "placements/s")
	if placements != 100*b.N {
		b.Fatalf("placed %d, want %d", placements, 100*b.N)
	}
}
