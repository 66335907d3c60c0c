package api

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/drover-project/drover/structs"
)

// Operator is the /v1/operator endpoints: Raft peers, snapshots and
// autopilot health.
type Operator struct{ c *Client }

// Operator returns the operator endpoints.
func (c *Client) Operator() *Operator { return &Operator{c: c} }

// RaftGetConfiguration lists the Raft peers.
func (op *Operator) RaftGetConfiguration(q *QueryOptions) (*structs.RaftConfigurationResponse, error) {
	var out structs.RaftConfigurationResponse
	if _, err := op.c.query("/v1/operator/raft/configuration", &out, q); err != nil {
		return nil, err
	}
	return &out, nil
}

// RaftRemovePeerByAddress removes the peer with a Raft address.
func (op *Operator) RaftRemovePeerByAddress(address string, w *WriteOptions) error {
	return op.c.write(http.MethodDelete, "/v1/operator/raft/peer", url.Values{"address": {address}}, nil, nil, w)
}

// RaftRemovePeerByID removes the peer with a Raft ID.
func (op *Operator) RaftRemovePeerByID(id string, w *WriteOptions) error {
	return op.c.write(http.MethodDelete, "/v1/operator/raft/peer", url.Values{"id": {id}}, nil, nil, w)
}

// AutopilotServerHealth returns the servers' health. An unhealthy cluster
// is answered with status 429 and the same body; it is returned without an
// error.
func (op *Operator) AutopilotServerHealth(q *QueryOptions) (*structs.OperatorHealthReply, error) {
	resp, err := op.c.do(q.context(), http.MethodGet, "/v1/operator/autopilot/health", op.c.params(q), nil)
	var se *StatusError
	if errors.As(err, &se) && se.Code == http.StatusTooManyRequests {
		var out structs.OperatorHealthReply
		if jerr := json.Unmarshal([]byte(se.Body), &out); jerr != nil {
			return nil, err
		}
		return &out, nil
	}
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out structs.OperatorHealthReply
	if err := decode(resp, &out); err != nil {
		return nil, fmt.Errorf("GET /v1/operator/autopilot/health: %w", err)
	}
	return &out, nil
}

// Snapshot streams a snapshot archive of the leader's state. Reading it to
// the end checks it against the answer's Digest header; a mismatch is an
// error from Read. The caller closes it.
func (op *Operator) Snapshot(q *QueryOptions) (io.ReadCloser, error) {
	resp, err := op.c.do(q.context(), http.MethodGet, "/v1/operator/snapshot", op.c.params(q), nil)
	if err != nil {
		return nil, err
	}
	algo, sum, ok := strings.Cut(resp.Header.Get("Digest"), "=")
	if !ok || algo != "sha-256" {
		resp.Body.Close()
		return nil, fmt.Errorf("GET /v1/operator/snapshot: unsupported or missing Digest header %q", resp.Header.Get("Digest"))
	}
	return &digestReader{rc: resp.Body, h: sha256.New(), want: sum}, nil
}

// SnapshotRestore replaces the cluster's state with an archive's.
func (op *Operator) SnapshotRestore(in io.Reader, w *WriteOptions) error {
	return op.c.write(http.MethodPut, "/v1/operator/snapshot", nil, in, nil, w)
}

// digestReader checks a body against its base64 SHA-256 digest at EOF.
type digestReader struct {
	rc   io.ReadCloser
	h    hash.Hash
	want string
}

func (d *digestReader) Read(p []byte) (int, error) {
	n, err := d.rc.Read(p)
	d.h.Write(p[:n])
	if errors.Is(err, io.EOF) {
		if got := base64.StdEncoding.EncodeToString(d.h.Sum(nil)); got != d.want {
			return n, fmt.Errorf("snapshot checksum mismatch: got sha-256=%s, the server sent %s", got, d.want)
		}
	}
	return n, err
}

func (d *digestReader) Close() error { return d.rc.Close() }
