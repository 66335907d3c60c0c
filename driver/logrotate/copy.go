package logrotate

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// DefaultFlushAfter is how long Copy holds a partial line before writing
// it out.
const DefaultFlushAfter = 500 * time.Millisecond

// Copy copies r into w until every writer of r has closed it (EOF), then
// closes w. A partial line is flushed once r has been idle for flushAfter.
// r must support read deadlines (a pipe or FIFO from os.Pipe or
// os.OpenFile); Copy closes it.
func Copy(w *Writer, r *os.File, flushAfter time.Duration) error {
	defer r.Close()
	buf := make([]byte, 32*1024)
	for {
		var deadline time.Time
		if len(w.pending) > 0 {
			deadline = time.Now().Add(flushAfter)
		}
		if err := r.SetReadDeadline(deadline); err != nil {
			return errors.Join(fmt.Errorf("logrotate: %w", err), w.Close())
		}
		n, rerr := r.Read(buf)
		if n > 0 {
			if _, err := w.Write(buf[:n]); err != nil {
				return errors.Join(err, w.Close())
			}
		}
		switch {
		case rerr == nil:
		case errors.Is(rerr, os.ErrDeadlineExceeded):
			if err := w.Flush(); err != nil {
				return errors.Join(err, w.Close())
			}
		case errors.Is(rerr, io.EOF):
			return w.Close()
		default:
			return errors.Join(fmt.Errorf("logrotate: reading: %w", rerr), w.Close())
		}
	}
}
