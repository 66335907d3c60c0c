package api

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/drover-project/drover/structs"
)

// Allocations is the /v1/allocations and /v1/allocation/<id> endpoints.
type Allocations struct{ c *Client }

// Allocations returns the allocation endpoints.
func (c *Client) Allocations() *Allocations { return &Allocations{c: c} }

// List lists allocations; q.Prefix filters by ID prefix.
func (a *Allocations) List(q *QueryOptions) ([]*structs.AllocListStub, *QueryMeta, error) {
	var out []*structs.AllocListStub
	qm, err := a.c.query("/v1/allocations", &out, q)
	return out, qm, err
}

// Info reads one allocation by its full ID.
func (a *Allocations) Info(allocID string, q *QueryOptions) (*structs.Allocation, *QueryMeta, error) {
	var out structs.Allocation
	qm, err := a.c.query("/v1/allocation/"+url.PathEscape(allocID), &out, q)
	if err != nil {
		return nil, nil, err
	}
	return &out, qm, nil
}

// AllocFS is the client file system endpoints (/v1/client/fs).
type AllocFS struct{ c *Client }

// AllocFS returns the client file system endpoints.
func (c *Client) AllocFS() *AllocFS { return &AllocFS{c: c} }

// Log origins for AllocFS.Logs.
const (
	OriginStart = "start"
	OriginEnd   = "end"
)

// Logs streams a task's stdout or stderr (logType "stdout" or "stderr") as
// plain bytes, starting offset bytes from origin ("start" or "end"). With
// follow the stream stays open for new output until the allocation ends or
// q's context is cancelled. The caller must close the reader.
func (f *AllocFS) Logs(allocID, task, logType string, follow bool, origin string, offset int64, q *QueryOptions) (io.ReadCloser, error) {
	if origin == "" {
		origin = OriginStart
	}
	params := f.c.params(q)
	params.Set("task", task)
	params.Set("type", logType)
	params.Set("follow", strconv.FormatBool(follow))
	params.Set("origin", origin)
	params.Set("offset", strconv.FormatInt(offset, 10))
	params.Set("plain", "true")
	resp, err := f.c.do(q.context(), http.MethodGet, "/v1/client/fs/logs/"+url.PathEscape(allocID), params, nil)
	if err != nil {
		return nil, fmt.Errorf("reading %s logs of task %q: %w", logType, task, err)
	}
	return resp.Body, nil
}
