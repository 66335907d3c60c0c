package driver

import "sync"

// Exit publishes a task's exit result once to any number of waiters.
// Handles embed it to implement TaskHandle.Wait.
type Exit struct {
	once   sync.Once
	done   chan struct{}
	result *ExitResult
}

// NewExit returns an Exit with no result yet.
func NewExit() *Exit { return &Exit{done: make(chan struct{})} }

// Set records the result and wakes every waiter. Only the first call
// counts; later ones are ignored.
func (e *Exit) Set(r *ExitResult) {
	e.once.Do(func() {
		e.result = r
		close(e.done)
	})
}

// Done is closed once the result is set.
func (e *Exit) Done() <-chan struct{} { return e.done }

// Wait implements TaskHandle.Wait: a new channel that receives the result
// once it is set.
func (e *Exit) Wait() <-chan *ExitResult {
	ch := make(chan *ExitResult, 1)
	go func() {
		<-e.done
		ch <- e.result
	}()
	return ch
}
