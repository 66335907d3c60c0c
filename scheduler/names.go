package scheduler

import (
	"sort"

	"github.com/drover-project/drover/structs"
)

// freeIndexes returns the n lowest non-negative name indexes not in used.
func freeIndexes(used map[int]bool, n int) []int {
	if n <= 0 {
		return nil
	}
	out := make([]int, 0, n)
	for idx := 0; len(out) < n; idx++ {
		if !used[idx] {
			out = append(out, idx)
		}
	}
	return out
}

// sortByIndex orders allocations by name index, then ID, so that decisions
// such as "stop the highest indexes" are deterministic.
func sortByIndex(allocs []*structs.Allocation) {
	sort.SliceStable(allocs, func(i, j int) bool {
		a, b := allocs[i].Index(), allocs[j].Index()
		if a != b {
			return a < b
		}
		return allocs[i].ID < allocs[j].ID
	})
}
