// Package client is the client role of a Drover agent: it fingerprints the
// machine, registers it as a node, keeps it alive with heartbeats, watches
// the servers for the node's allocations and runs them.
//
// Data flows one way. A blocking query on the node's allocations feeds the
// alloc watcher, which starts, updates and stops alloc runners. Each alloc
// runner owns the allocation directory and one task runner per task; a task
// runner drives its task's driver through lifecycle hooks and a restart
// policy, recording Nomad-style task events. Runners never talk to the
// servers: they mark their allocation dirty, and one syncer sends the
// latest status of every dirty allocation in batches.
package client
