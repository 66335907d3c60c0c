package httpapi

import "github.com/drover-project/drover/state"

// State table names, as the state store records their write indexes
// (state.StateStore.Index). They mirror the state package's unexported
// constants; a mismatch shows as X-Nomad-Index stuck at 1 in the tests.
const (
	tableJobs   = "jobs"
	tableNodes  = "nodes"
	tableAllocs = "allocs"
	tableEvals  = "evals"
)

// tablesIndex is the highest write index among tables: the index a query
// reading them reflects.
func tablesIndex(s *state.StateStore, tables ...string) uint64 {
	var idx uint64
	for _, t := range tables {
		idx = max(idx, s.Index(t))
	}
	return idx
}
