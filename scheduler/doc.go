// Package scheduler turns an evaluation into a plan: it compares a job with
// the allocations it has in a state snapshot, decides what to stop, update
// and place, and picks nodes for new allocations.
//
// A scheduler is a pure function of (state, evaluation): it reads a
// read-only State, writes only through a Planner, and uses no network, clock
// or goroutines, so the same input gives the same node choices. Node
// selection is a chain of small iterators (see stack.go): a shuffled source
// of ready nodes, feasibility checks that filter, rankers that score, a
// limit on how many candidates are scored, and a pick of the best score.
//
// Plans are optimistic: the server's plan applier re-checks every plan
// against the latest state, and a partly rejected plan is retried here on
// fresher state.
package scheduler
