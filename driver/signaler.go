package driver

// Signaler is implemented by task handles that can send a signal to a
// running task without stopping it (alloc signal). The client finds it
// with a type check; handles without it cannot be signalled.
type Signaler interface {
	// Signal sends signal (a name such as "SIGHUP"; empty means SIGINT)
	// to the task. Signalling a task that has exited is an error.
	Signal(signal string) error
}
