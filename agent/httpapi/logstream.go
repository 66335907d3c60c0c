package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// logChunk bounds one read, hence one frame's data.
const logChunk = 32 * 1024

// streamFrame is Nomad's api.StreamFrame. Offset is the file offset just
// past Data, which clients keep to resume a stream. A frame with every field
// empty is a heartbeat.
type streamFrame struct {
	Offset    int64  `json:",omitempty"`
	Data      []byte `json:",omitempty"`
	File      string `json:",omitempty"`
	FileEvent string `json:",omitempty"`
}

// logStream writes one log file to a response. It runs on the request's
// goroutine; the request context ends it when the client goes away.
type logStream struct {
	api     *api
	allocID string
	path    string
	params  logParams
}

// logSink receives what the stream reads, framed or raw.
type logSink interface {
	// setFile names the file the next data comes from.
	setFile(name string)
	data(p []byte, endOffset int64) error
	event(ev string, offset int64) error
	heartbeat() error
}

func (ls *logStream) stream(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	var sink logSink
	if ls.params.plain {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		sink = &rawSink{w: w, rc: rc}
	} else {
		w.Header().Set("Content-Type", "application/json")
		sink = &frameSink{enc: json.NewEncoder(w), rc: rc, file: "alloc/logs/" + filepath.Base(ls.path)}
	}
	w.WriteHeader(http.StatusOK)
	_ = rc.Flush() // headers now, even if no bytes come for a while; a failure shows on the next write
	if err := ls.run(r.Context(), sink); err != nil && r.Context().Err() == nil {
		ls.api.cfg.Logger.Warn("log stream ended", "alloc_id", ls.allocID, "path", ls.path, "error", err)
	}
}

// run copies the file to sink from the requested offset. Without follow it
// ends at end of file. With follow it polls for appended bytes until ctx
// ends or the allocation is terminal, in which case it sends what is left
// and ends.
func (ls *logStream) run(ctx context.Context, sink logSink) error {
	tick := time.NewTicker(ls.api.cfg.LogPollInterval)
	defer tick.Stop()
	f, err := ls.open(ctx, tick.C)
	if f == nil || err != nil {
		return err
	}
	defer func() { f.Close() }() // f changes as the stream follows rotations
	pos, err := ls.seekStart(f)
	if err != nil {
		return err
	}
	buf := make([]byte, logChunk)
	lastSend := time.Now()
	finishing := false
	draining := false // the next file exists: read this one to its end
	for {
		n, rerr := f.Read(buf)
		if n > 0 {
			pos += int64(n)
			if err := sink.data(buf[:n], pos); err != nil {
				return err
			}
			lastSend = time.Now()
			continue
		}
		if rerr != nil && !errors.Is(rerr, io.EOF) {
			return rerr
		}
		if next, ok := nextLogFile(ls.path); ok {
			// The writer rotated: once this file is drained (it gets
			// nothing after the next one exists), go on with the next.
			if !draining {
				draining = true
				continue
			}
			nf, err := os.Open(next)
			if err != nil {
				return err
			}
			f.Close()
			f, ls.path, pos, draining = nf, next, 0, false
			sink.setFile("alloc/logs/" + filepath.Base(next))
			continue
		}
		if !ls.params.follow || finishing {
			return nil
		}
		if ls.allocTerminal() {
			finishing = true // drain what was written before the end, then stop
			continue
		}
		if pos, err = ls.checkTruncated(f, pos, sink); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		if time.Since(lastSend) >= ls.api.cfg.LogHeartbeat {
			if err := sink.heartbeat(); err != nil {
				return err
			}
			lastSend = time.Now()
		}
	}
}

// open opens the log file. A file that does not exist yet (task not
// started) is waited for when following; otherwise it is an empty log and
// open returns (nil, nil).
func (ls *logStream) open(ctx context.Context, tick <-chan time.Time) (*os.File, error) {
	for {
		f, err := os.Open(ls.path)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		if !ls.params.follow || ls.allocTerminal() {
			return nil, nil
		}
		select {
		case <-ctx.Done():
			return nil, nil
		case <-tick:
		}
	}
}

// seekStart positions f where the request asked: offset bytes from the
// start, or from the end for origin=end, clamped to the file.
func (ls *logStream) seekStart(f *os.File) (int64, error) {
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	pos := min(ls.params.offset, st.Size())
	if ls.params.fromEnd {
		pos = st.Size() - pos
	}
	return f.Seek(pos, io.SeekStart)
}

// checkTruncated rewinds to the start when the file shrank below pos (log
// rotation by truncation), telling the client as Nomad does.
func (ls *logStream) checkTruncated(f *os.File, pos int64, sink logSink) (int64, error) {
	st, err := f.Stat()
	if err != nil {
		return pos, err
	}
	if st.Size() >= pos {
		return pos, nil
	}
	if err := sink.event("file truncated", 0); err != nil {
		return pos, err
	}
	return f.Seek(0, io.SeekStart)
}

// allocTerminal reports whether the allocation has finished on its client
// (or is gone from state), so no more log lines will come.
func (ls *logStream) allocTerminal() bool {
	alloc, err := ls.api.cfg.Server.State().AllocByID(nil, ls.allocID)
	if err != nil {
		return false // keep following; the next poll asks again
	}
	return alloc == nil || alloc.ClientTerminalStatus()
}

// frameSink writes Nomad's JSON frames, one per chunk.
type frameSink struct {
	enc  *json.Encoder
	rc   *http.ResponseController
	file string
}

func (s *frameSink) data(p []byte, end int64) error {
	return s.send(&streamFrame{Offset: end, Data: p, File: s.file})
}

func (s *frameSink) event(ev string, offset int64) error {
	return s.send(&streamFrame{Offset: offset, File: s.file, FileEvent: ev})
}

func (s *frameSink) heartbeat() error { return s.send(&streamFrame{}) }

func (s *frameSink) setFile(name string) { s.file = name }

func (s *frameSink) send(f *streamFrame) error {
	if err := s.enc.Encode(f); err != nil {
		return err
	}
	return s.rc.Flush()
}

// rawSink writes the bytes as they are (plain=true); events and heartbeats
// have no raw form.
type rawSink struct {
	w  io.Writer
	rc *http.ResponseController
}

func (s *rawSink) data(p []byte, _ int64) error {
	if _, err := s.w.Write(p); err != nil {
		return err
	}
	return s.rc.Flush()
}

func (s *rawSink) event(string, int64) error { return nil }
func (s *rawSink) heartbeat() error          { return nil }
func (s *rawSink) setFile(string)            {}
