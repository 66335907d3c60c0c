package scheduler

import (
	"math"
	"testing"

	"github.com/drover-project/drover/structs"
)

func TestFitScore(t *testing.T) {
	capacity := structs.ComparableResources{CPU: 4000, MemoryMB: 8000}
	cases := []struct {
		name      string
		cpu, mem  int64
		want      float64
		tolerance float64
	}{
		{"empty", 0, 0, 0, 0},
		{"full", 4000, 8000, 1, 0},
		{"half", 2000, 4000, (20 - 2*math.Pow(10, 0.5)) / 18, 1e-9},
		{"cpu full only", 4000, 0, (20 - 1 - 10) / 18.0, 1e-9},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := fitScore(capacity, structs.ComparableResources{CPU: tc.cpu, MemoryMB: tc.mem})
			if math.Abs(got-tc.want) > tc.tolerance {
				t.Fatalf("fitScore = %v, want %v", got, tc.want)
			}
		})
	}
	if fitScore(structs.ComparableResources{}, structs.ComparableResources{}) != 1 {
		t.Fatalf("a node without capacity data must not divide by zero")
	}
}

func TestCandidateLimit(t *testing.T) {
	cases := []struct{ nodes, want int }{{0, 2}, {1, 2}, {2, 2}, {4, 2}, {5, 3}, {10, 4}, {1000, 10}, {1024, 10}, {1025, 11}}
	for _, tc := range cases {
		if got := candidateLimit(tc.nodes); got != tc.want {
			t.Errorf("candidateLimit(%d) = %d, want %d", tc.nodes, got, tc.want)
		}
	}
}

// staticRank yields fixed options.
type staticRank struct {
	opts []*rankedNode
	i    int
}

func (s *staticRank) Next() *rankedNode {
	if s.i >= len(s.opts) {
		return nil
	}
	s.i++
	return s.opts[s.i-1]
}

func (s *staticRank) Reset() {}

func ranked(scores ...float64) []*rankedNode {
	out := make([]*rankedNode, len(scores))
	for i, s := range scores {
		out[i] = &rankedNode{node: &structs.Node{ID: string(rune('a' + i))}, finalScore: s}
	}
	return out
}

func TestLimitAndMaxScore(t *testing.T) {
	cases := []struct {
		name   string
		scores []float64
		limit  int
		want   string // ID of the picked node
	}{
		{"best within limit", []float64{0.2, 0.5, 0.9}, 2, "b"},
		{"all considered", []float64{0.2, 0.5, 0.9}, 3, "c"},
		{"penalised skipped for later ones", []float64{-0.5, -0.1, 0.1, 0.3}, 2, "d"},
		{"penalised used when nothing else", []float64{-0.5, -0.1}, 2, "b"},
		{"tie keeps first", []float64{0.4, 0.4}, 2, "a"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			limit := &limitIterator{source: &staticRank{opts: ranked(tc.scores...)}, limit: tc.limit,
				threshold: skipScoreThreshold, maxSkip: maxSkip}
			best := (&maxScoreIterator{source: limit}).Next()
			if best == nil || best.node.ID != tc.want {
				t.Fatalf("picked %v, want %s", best, tc.want)
			}
		})
	}
}

// TestBinPack_ExhaustedNotCounted checks that nodes without room are
// recorded and do not take a candidate slot.
func TestBinPack_ExhaustedNotCounted(t *testing.T) {
	h := newHarness(t)
	var nodes []*structs.Node
	for i := 0; i < 8; i++ {
		n := mockNode()
		if i != 5 {
			n.NodeResources.Memory.MemoryMB = 100
		}
		nodes = append(nodes, n)
	}
	h.addNodes(nodes...)
	job := mockJob()
	job.TaskGroups[0].Count = 1
	job = h.upsertJob(job)
	h.process(evalFor(job))
	got := placed(h.lastPlan())
	if len(got) != 1 || got[0].NodeID != nodes[5].ID {
		t.Fatalf("placed %v, want the only node with room", got)
	}
	if m := got[0].Metrics; m.NodesExhausted == 0 || m.DimensionExhausted["memory"] != m.NodesExhausted {
		t.Fatalf("metric %+v", m)
	}
}
