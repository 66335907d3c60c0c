package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
)

// streamer is a handler result that writes its own body (log streams). The
// wrapper has set the X-Nomad-* headers when stream is called; stream sets
// the content type and status.
type streamer interface {
	stream(w http.ResponseWriter, r *http.Request)
}

// statusBody is a handler result answered with a status other than 200 but
// a JSON body all the same (/v1/agent/health when unhealthy).
type statusBody struct {
	code int
	body interface{}
}

// wrap adapts a handlerFunc to net/http: it sets the X-Nomad-* headers,
// encodes the result as JSON (indented with ?pretty) or the error as a plain
// text body with the error's status.
func (a *api) wrap(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := newRequest(r)
		if err := a.consistent(req); err != nil {
			a.setMetaHeaders(w, req)
			a.writeError(w, req, err)
			return
		}
		v, err := h(req)
		a.setMetaHeaders(w, req)
		if err != nil {
			a.writeError(w, req, err)
			return
		}
		code := http.StatusOK
		switch t := v.(type) {
		case streamer:
			t.stream(w, r)
			return
		case statusBody:
			code, v = t.code, t.body
		}
		pretty, err := req.boolParam("pretty", false)
		if err != nil {
			a.writeError(w, req, err)
			return
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		if pretty {
			enc.SetIndent("", "    ")
		}
		if err := enc.Encode(v); err != nil {
			a.writeError(w, req, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		w.WriteHeader(code)
		if _, err := w.Write(buf.Bytes()); err != nil {
			a.cfg.Logger.Debug("writing response failed", "path", r.URL.Path, "error", err)
		}
	})
}

// setMetaHeaders sets Nomad's query meta headers. X-Nomad-Index is never 0:
// clients use it as their next ?index= and must make progress.
func (a *api) setMetaHeaders(w http.ResponseWriter, req *request) {
	idx := req.index
	if idx == 0 {
		idx = a.cfg.Server.State().LatestIndex()
	}
	idx = max(idx, 1)
	h := w.Header()
	h.Set("X-Nomad-Index", strconv.FormatUint(idx, 10))
	h.Set("X-Nomad-KnownLeader", strconv.FormatBool(a.cfg.Server.Leader() != ""))
	h.Set("X-Nomad-LastContact", strconv.FormatInt(a.cfg.Server.LastContact().Milliseconds(), 10))
}

// writeError answers err as Nomad does: its status and a plain text body.
func (a *api) writeError(w http.ResponseWriter, req *request, err error) {
	code, msg := errorStatus(err)
	if code >= http.StatusInternalServerError {
		a.cfg.Logger.Error("request failed", "method", req.Method, "path", req.URL.Path, "error", err)
	} else {
		a.cfg.Logger.Debug("request rejected", "method", req.Method, "path", req.URL.Path, "code", code, "error", err)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(code)
	_, _ = io.WriteString(w, msg) // the client may be gone; nothing more to tell it
}

// recoverPanics turns a handler panic into a 500 (or, once the response has
// started, an aborted connection) instead of crashing the agent.
func (a *api) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tw := &trackingWriter{ResponseWriter: w}
		defer func() {
			rec := recover()
			if rec == nil {
				return
			}
			if rec == http.ErrAbortHandler {
				panic(rec)
			}
			a.cfg.Logger.Error("panic serving request", "method", r.Method, "path", r.URL.Path,
				"panic", rec, "stack", string(debug.Stack()))
			if tw.wroteHeader {
				panic(http.ErrAbortHandler) // cannot change the status; cut the response short
			}
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, "internal server error")
		}()
		next.ServeHTTP(tw, r)
	})
}

// trackingWriter records whether the response has started.
type trackingWriter struct {
	http.ResponseWriter
	wroteHeader bool
}

func (t *trackingWriter) WriteHeader(code int) {
	t.wroteHeader = true
	t.ResponseWriter.WriteHeader(code)
}

func (t *trackingWriter) Write(p []byte) (int, error) {
	t.wroteHeader = true
	return t.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the real writer (Flush).
func (t *trackingWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// consistent makes a read of cluster state consistent unless it asks for
// ?stale: a follower first catches up to the leader's commit index, so a
// client never reads older state than a write it saw acknowledged.
// ?consistent also has the leader confirm its leadership. Writes are
// forwarded to the leader and need no such step; agent, status, metrics and
// client (node-local) endpoints answer without a leader.
func (a *api) consistent(req *request) error {
	if req.Method != http.MethodGet || !needsConsistency(req.URL.Path) {
		return nil
	}
	if _, stale := req.URL.Query()["stale"]; stale {
		return nil
	}
	_, verify := req.URL.Query()["consistent"]
	if err := a.cfg.Server.ConsistentRead(req.Context(), verify); err != nil {
		return fmt.Errorf("consistent read failed (retry, or use ?stale): %w", err)
	}
	return nil
}

// needsConsistency reports whether a GET path reads replicated state.
func needsConsistency(path string) bool {
	for _, local := range []string{"/v1/agent/", "/v1/status/", "/v1/metrics", "/v1/client/", "/.well-known/"} {
		if strings.HasPrefix(path, local) {
			return false
		}
	}
	return strings.HasPrefix(path, "/v1/")
}
