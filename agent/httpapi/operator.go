package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"

	"github.com/drover-project/drover/structs"
)

// Operator is what the /v1/operator endpoints need from the local server.
// It is optional: a Server without it answers them with 501.
type Operator interface {
	// RaftConfiguration lists the Raft peers as this server knows them.
	RaftConfiguration() (*structs.RaftConfigurationResponse, error)
	// RemoveRaftPeer removes a peer by ID or address (exactly one set) on
	// the leader; an unknown peer is a 404 CodedError.
	RemoveRaftPeer(ctx context.Context, id, address string) error
	// SaveSnapshot writes a snapshot archive of the leader's state to w.
	SaveSnapshot(ctx context.Context, w io.Writer) error
	// RestoreSnapshot replaces the cluster's state with an archive's; a
	// bad archive is a 400 CodedError.
	RestoreSnapshot(ctx context.Context, r io.Reader) error
	// AutopilotHealth reports the servers' health as the leader sees it.
	AutopilotHealth(ctx context.Context) (*structs.OperatorHealthReply, error)
}

// operator returns the server's Operator side, or a 501.
func (a *api) operator() (Operator, error) {
	op, ok := a.cfg.Server.(Operator)
	if !ok {
		return nil, structs.NewCodedError(http.StatusNotImplemented, "this agent's server has no operator endpoints")
	}
	return op, nil
}

// raftConfiguration answers GET /v1/operator/raft/configuration.
func (a *api) raftConfiguration(req *request) (interface{}, error) {
	op, err := a.operator()
	if err != nil {
		return nil, err
	}
	cfg, err := op.RaftConfiguration()
	if err != nil {
		return nil, err
	}
	req.index = cfg.Index
	return cfg, nil
}

// raftRemovePeer answers DELETE /v1/operator/raft/peer?address=|id=.
func (a *api) raftRemovePeer(req *request) (interface{}, error) {
	op, err := a.operator()
	if err != nil {
		return nil, err
	}
	q := req.URL.Query()
	id, addr := q.Get("id"), q.Get("address")
	if (id == "") == (addr == "") {
		return nil, badRequest("must specify exactly one of ?id= or ?address=")
	}
	if err := op.RemoveRaftPeer(req.Context(), id, addr); err != nil {
		return nil, err
	}
	return nil, nil
}

// autopilotHealth answers GET /v1/operator/autopilot/health; like Nomad it
// answers 429 when the cluster is unhealthy, with the same body.
func (a *api) autopilotHealth(req *request) (interface{}, error) {
	op, err := a.operator()
	if err != nil {
		return nil, err
	}
	h, err := op.AutopilotHealth(req.Context())
	if err != nil {
		return nil, err
	}
	if !h.Healthy {
		return statusBody{code: http.StatusTooManyRequests, body: h}, nil
	}
	return h, nil
}

// snapshotSave answers GET /v1/operator/snapshot with the archive. The
// archive is spooled to a temporary file first, because the Digest header
// (which Nomad's client checks) must precede the body.
func (a *api) snapshotSave(req *request) (interface{}, error) {
	op, err := a.operator()
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp("", "drover-snapshot-*.tar.gz")
	if err != nil {
		return nil, fmt.Errorf("creating a temporary file for the snapshot: %w", err)
	}
	h := sha256.New()
	if err := op.SaveSnapshot(req.Context(), io.MultiWriter(f, h)); err != nil {
		closeTemp(f)
		return nil, err
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		closeTemp(f)
		return nil, fmt.Errorf("rewinding the snapshot: %w", err)
	}
	return &snapshotStream{f: f, size: size, digest: "sha-256=" + base64.StdEncoding.EncodeToString(h.Sum(nil)), log: a.cfg.Logger}, nil
}

// snapshotStream sends a spooled snapshot archive and removes it.
type snapshotStream struct {
	f      *os.File
	size   int64
	digest string
	log    interface {
		Debug(msg string, args ...interface{})
	}
}

func (s *snapshotStream) stream(w http.ResponseWriter, r *http.Request) {
	defer closeTemp(s.f)
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.FormatInt(s.size, 10))
	w.Header().Set("Digest", s.digest)
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, s.f); err != nil {
		s.log.Debug("sending snapshot failed", "error", err)
	}
}

func closeTemp(f *os.File) {
	f.Close()
	os.Remove(f.Name())
}

// snapshotRestore answers PUT /v1/operator/snapshot: the body is an
// archive as GET wrote it.
func (a *api) snapshotRestore(req *request) (interface{}, error) {
	op, err := a.operator()
	if err != nil {
		return nil, err
	}
	if err := op.RestoreSnapshot(req.Context(), req.Body); err != nil {
		return nil, err
	}
	return nil, nil
}
