// Package driver defines how the client runs a task: a small in-process
// Driver interface, the TaskConfig a driver starts a task from, the
// TaskHandle it returns, and helpers every driver shares (strict config
// decoding and signal names).
//
// Drivers are plain Go values registered in the agent's configuration; there
// is no plugin boundary. Abilities not every driver has are optional
// interfaces found by a type check: a driver that isolates its tasks reports
// it through CapabilityReporter, and re-attaching to tasks after an agent
// restart is TaskRecoverer (with RecoverableHandle), which drivers without
// it simply do not implement. The client gets it for raw_exec and exec by
// wrapping them in driver/supervisor.
package driver
