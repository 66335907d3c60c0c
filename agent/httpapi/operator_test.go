package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/drover-project/drover/structs"
)

// fakeOperator adds the optional operator endpoints to fakeServer.
type fakeOperator struct {
	*fakeServer
	removed  []string
	restored []byte
	health   *structs.OperatorHealthReply
}

func (f *fakeOperator) RaftConfiguration() (*structs.RaftConfigurationResponse, error) {
	return &structs.RaftConfigurationResponse{Index: 7, Servers: []*structs.RaftServer{
		{ID: "s1", Node: "s1", Address: "127.0.0.1:4647", Leader: true, Voter: true, RaftProtocol: "3"},
	}}, nil
}

func (f *fakeOperator) RemoveRaftPeer(_ context.Context, id, address string) error {
	if id == "missing" {
		return structs.NewCodedError(http.StatusNotFound, "id %q was not found in the Raft configuration", id)
	}
	f.removed = append(f.removed, id+"|"+address)
	return nil
}

func (f *fakeOperator) SaveSnapshot(_ context.Context, w io.Writer) error {
	_, err := io.WriteString(w, "snapshot-bytes")
	return err
}

func (f *fakeOperator) RestoreSnapshot(_ context.Context, r io.Reader) error {
	b, err := io.ReadAll(r)
	if string(b) == "bad" {
		return structs.NewCodedError(http.StatusBadRequest, "invalid snapshot: not gzip")
	}
	f.restored = b
	return err
}

func (f *fakeOperator) AutopilotHealth(context.Context) (*structs.OperatorHealthReply, error) {
	if f.health == nil {
		return nil, errors.New("no health")
	}
	return f.health, nil
}

func operatorHarness(t *testing.T) (*harness, *fakeOperator) {
	var op *fakeOperator
	h := newHarness(t, func(c *Config) {
		op = &fakeOperator{fakeServer: c.Server.(*fakeServer)}
		c.Server = op
	})
	return h, op
}

func TestOperator_RaftEndpoints(t *testing.T) {
	h, op := operatorHarness(t)
	var cfg structs.RaftConfigurationResponse
	resp := h.getJSON(t, "/v1/operator/raft/configuration", &cfg)
	if len(cfg.Servers) != 1 || !cfg.Servers[0].Leader || resp.Header.Get("X-Nomad-Index") != "7" {
		t.Fatalf("configuration %+v, index %s", cfg, resp.Header.Get("X-Nomad-Index"))
	}
	_, body := h.do(t, http.MethodGet, "/v1/operator/raft/configuration", nil)
	requireKeys(t, body, "Servers", "Index")

	for path, want := range map[string]int{
		"/v1/operator/raft/peer?address=10.0.0.2:4647": 200,
		"/v1/operator/raft/peer?id=s2":                 200,
		"/v1/operator/raft/peer":                       400,
		"/v1/operator/raft/peer?id=a&address=b":        400,
		"/v1/operator/raft/peer?id=missing":            404,
	} {
		if resp, body := h.do(t, http.MethodDelete, path, nil); resp.StatusCode != want {
			t.Errorf("DELETE %s: %d %s, want %d", path, resp.StatusCode, body, want)
		}
	}
	if len(op.removed) != 2 {
		t.Fatalf("removed %v", op.removed)
	}
}

func TestOperator_Snapshot(t *testing.T) {
	h, op := operatorHarness(t)
	resp, body := h.do(t, http.MethodGet, "/v1/operator/snapshot", nil)
	sum := sha256.Sum256([]byte("snapshot-bytes"))
	if resp.StatusCode != 200 || string(body) != "snapshot-bytes" ||
		resp.Header.Get("Digest") != "sha-256="+base64.StdEncoding.EncodeToString(sum[:]) {
		t.Fatalf("GET: %d %q digest %q", resp.StatusCode, body, resp.Header.Get("Digest"))
	}
	if resp, _ := h.do(t, http.MethodPut, "/v1/operator/snapshot", "archive"); resp.StatusCode != 200 || string(op.restored) != "archive" {
		t.Fatalf("PUT: %d, restored %q", resp.StatusCode, op.restored)
	}
	if resp, body := h.do(t, http.MethodPut, "/v1/operator/snapshot", "bad"); resp.StatusCode != 400 {
		t.Fatalf("PUT bad: %d %s", resp.StatusCode, body)
	}
}

func TestOperator_AutopilotHealth(t *testing.T) {
	h, op := operatorHarness(t)
	op.health = &structs.OperatorHealthReply{Healthy: true, FailureTolerance: 1, Leader: "s1", Voters: []string{"s1"},
		Servers: []structs.ServerHealth{{ID: "s1", Name: "s1", SerfStatus: "alive", Healthy: true, LastContact: 15 * time.Millisecond}}}
	resp, body := h.do(t, http.MethodGet, "/v1/operator/autopilot/health", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	requireKeys(t, body, "Healthy", "FailureTolerance", "Servers", "Leader", "Voters")
	var got structs.OperatorHealthReply
	mustUnmarshal(t, body, &got)
	if got.Servers[0].LastContact != 15*time.Millisecond {
		t.Fatalf("LastContact round trip: %v", got.Servers[0].LastContact)
	}
	op.health.Healthy = false
	if resp, _ := h.do(t, http.MethodGet, "/v1/operator/autopilot/health", nil); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("unhealthy: %d, want 429", resp.StatusCode)
	}
}

func TestOperator_NotImplementedWithoutOperator(t *testing.T) {
	h := newHarness(t)
	if resp, _ := h.do(t, http.MethodGet, "/v1/operator/raft/configuration", nil); resp.StatusCode != http.StatusNotImplemented {
		t.Fatalf("%d, want 501", resp.StatusCode)
	}
}
