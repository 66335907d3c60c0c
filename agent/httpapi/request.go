package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	memdb "github.com/hashicorp/go-memdb"

	"github.com/drover-project/drover/state"
	"github.com/drover-project/drover/structs"
)

// maxWait caps ?wait=, as Nomad does.
const maxWait = 10 * time.Minute

// allNamespaces is the ?namespace= wildcard lists accept.
const allNamespaces = "*"

// request is one API call as a handler sees it.
type request struct {
	*http.Request
	// namespace is ?namespace=, "default" when absent.
	namespace string
	// index is the X-Nomad-Index to answer with; handlers set it (blocking
	// queries and writes), the wrapper falls back to the latest state index.
	index uint64
}

func newRequest(r *http.Request) *request {
	ns := r.URL.Query().Get("namespace")
	if ns == "" {
		ns = structs.DefaultNamespace
	}
	return &request{Request: r, namespace: ns}
}

// inNamespace reports whether an object of namespace ns is visible to the
// request (lists accept the "*" wildcard).
func (req *request) inNamespace(ns string) bool {
	return req.namespace == allNamespaces || req.namespace == ns
}

// writeNamespace is the namespace a write applies to; the wildcard is not one.
func (req *request) writeNamespace() (string, error) {
	if req.namespace == allNamespaces {
		return "", badRequest("namespace %q is not valid for writes", allNamespaces)
	}
	return req.namespace, nil
}

// prefix is ?prefix=.
func (req *request) prefix() string { return req.URL.Query().Get("prefix") }

// boolParam parses a boolean query parameter; a present but empty value
// (?pretty) means true.
func (req *request) boolParam(name string, def bool) (bool, error) {
	q := req.URL.Query()
	if !q.Has(name) {
		return def, nil
	}
	v := q.Get(name)
	if v == "" {
		return true, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, badRequest("invalid value for %q: %q", name, v)
	}
	return b, nil
}

// blockingParams parses ?index= and ?wait=.
func (req *request) blockingParams() (uint64, time.Duration, error) {
	q := req.URL.Query()
	var index uint64
	if v := q.Get("index"); v != "" {
		i, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return 0, 0, badRequest("Invalid index: %q", v)
		}
		index = i
	}
	var wait time.Duration
	if v := q.Get("wait"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return 0, 0, badRequest("Invalid wait time: %q", v)
		}
		wait = min(d, maxWait)
	}
	return index, wait, nil
}

// decodeBody decodes the JSON request body into out.
func (req *request) decodeBody(out interface{}) error {
	dec := json.NewDecoder(req.Body)
	if err := dec.Decode(out); err != nil {
		if errors.Is(err, io.EOF) {
			return badRequest("failed to parse request: empty body")
		}
		return badRequest("failed to parse request: %v", err)
	}
	return nil
}

// queryFn reads from s for a blocking query, watching what it read in ws,
// and returns the index its result reflects.
type queryFn func(ws memdb.WatchSet, s *state.StateStore) (uint64, error)

// blocking runs fn as a blocking query (see state.BlockingQuery) and records
// the index to answer with. fn may run several times; it must store its
// result where the caller reads it, overwriting earlier runs.
func (a *api) blocking(req *request, fn queryFn) error {
	minIndex, wait, err := req.blockingParams()
	if err != nil {
		return err
	}
	idx, err := state.BlockingQuery(req.Context(), a.cfg.Server.State, minIndex, wait, state.QueryFn(fn))
	req.index = idx
	return err
}
