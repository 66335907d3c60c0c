// Package server is Drover's server role: it replicates cluster state with
// Raft, and on the leader runs the eval broker, the scheduler workers, the
// plan applier and the heartbeat timers.
//
// Writes flow one way: an endpoint validates a request and applies it
// through Raft; the FSM writes the state store and tells the leader's eval
// broker about new evaluations; workers schedule them into plans; the single
// plan applier re-checks each plan against the latest state and commits it
// through Raft again.
package server
