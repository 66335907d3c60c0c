package driver

import (
	"testing"
	"time"
)

func TestExitFirstResultToEveryWaiter(t *testing.T) {
	e := NewExit()
	w1, w2 := e.Wait(), e.Wait()
	select {
	case <-e.Done():
		t.Fatal("done before a result was set")
	default:
	}
	e.Set(&ExitResult{ExitCode: 3})
	e.Set(&ExitResult{ExitCode: 9}) // ignored
	for i, w := range []<-chan *ExitResult{w1, w2, e.Wait()} {
		select {
		case r := <-w:
			if r.ExitCode != 3 {
				t.Fatalf("waiter %d got exit code %d, want the first result", i, r.ExitCode)
			}
		case <-time.After(time.Second):
			t.Fatalf("waiter %d got nothing", i)
		}
	}
}
