// Package state is Drover's single source of truth: an in-memory, indexed,
// transactional store (hashicorp/go-memdb) that the Raft FSM writes and
// everyone else reads.
//
// Contract: objects returned by read methods are shared with the store and
// with every snapshot; callers must never modify them (Copy first). Every
// write method runs in one transaction and stamps the Raft index it was
// applied at. Only the FSM (and tests) call write methods. Readers that need a
// consistent view across several reads take a Snapshot; readers that wait for
// change pass a memdb.WatchSet (see BlockingQuery).
package state
