package httpapi

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

// abledServer adds the optional keyring and validation abilities to the
// fake server.
type abledServer struct {
	*fakeServer
	keys []structs.KeyringPublicKey
}

func (s *abledServer) PublicKeys() []structs.KeyringPublicKey { return s.keys }

func (s *abledServer) ValidateJob(job *structs.Job) []string {
	if job.ID == "" {
		return []string{"job ID is empty"}
	}
	return nil
}

func newAbledHarness(t *testing.T) (*harness, *abledServer) {
	var srv *abledServer
	h := newHarness(t, func(c *Config) {
		srv = &abledServer{fakeServer: c.Server.(*fakeServer), keys: []structs.KeyringPublicKey{{
			KeyID: "k1", PublicKey: []byte{1, 2, 3}, Algorithm: structs.PubKeyAlgEdDSA, Use: "sig"}}}
		c.Server = srv
	})
	return h, srv
}

func TestJWKS(t *testing.T) {
	h, srv := newAbledHarness(t)
	var set struct{ Keys []map[string]string }
	h.getJSON(t, "/.well-known/jwks.json", &set)
	if len(set.Keys) != 1 {
		t.Fatalf("keys: %+v", set)
	}
	k := set.Keys[0]
	if k["kty"] != "OKP" || k["crv"] != "Ed25519" || k["kid"] != "k1" || k["alg"] != "EdDSA" || k["use"] != "sig" ||
		k["x"] != base64.RawURLEncoding.EncodeToString([]byte{1, 2, 3}) {
		t.Fatalf("key: %+v", k)
	}

	srv.setLeader("")
	resp, body := h.do(t, http.MethodGet, "/.well-known/jwks.json", nil)
	if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(string(body), "No cluster leader") {
		t.Fatalf("without a leader: %d %s", resp.StatusCode, body)
	}

	// A server without a keyring cannot publish one.
	plain := newHarness(t)
	if resp, _ := plain.do(t, http.MethodGet, "/.well-known/jwks.json", nil); resp.StatusCode != http.StatusInternalServerError {
		t.Fatalf("no keyring: %d", resp.StatusCode)
	}
}

func TestMembersAndRegions(t *testing.T) {
	h := newHarness(t)
	var m serverMembers
	h.getJSON(t, "/v1/agent/members", &m)
	if m.ServerRegion != "global" || m.ServerDC != "dc1" || len(m.Members) != 1 || m.Members[0].Name != "agent-1.global" || m.Members[0].Port != 4648 {
		t.Fatalf("members: %+v", m)
	}
	var regions []string
	h.getJSON(t, "/v1/regions", &regions)
	if len(regions) != 1 || regions[0] != "global" {
		t.Fatalf("regions: %v", regions)
	}
}

func TestJobValidate(t *testing.T) {
	h, _ := newAbledHarness(t)
	var ok jobValidateResponse
	resp, body := h.do(t, http.MethodPut, "/v1/validate/job", map[string]interface{}{"Job": mock.Job()})
	mustUnmarshal(t, body, &ok)
	if resp.StatusCode != http.StatusOK || len(ok.ValidationErrors) != 0 || ok.Error != "" || !ok.DriverConfigValidated {
		t.Fatalf("valid job: %d %s", resp.StatusCode, body)
	}
	bad := mock.Job()
	bad.ID = ""
	var invalid jobValidateResponse
	resp, body = h.do(t, http.MethodPost, "/v1/validate/job", map[string]interface{}{"Job": bad})
	mustUnmarshal(t, body, &invalid)
	if resp.StatusCode != http.StatusOK || len(invalid.ValidationErrors) != 1 || invalid.Error != "job ID is empty" {
		t.Fatalf("invalid job: %d %s", resp.StatusCode, body)
	}
	if resp, _ := h.do(t, http.MethodPut, "/v1/validate/job", map[string]interface{}{}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("no job: %d", resp.StatusCode)
	}
}

func TestJobVersions(t *testing.T) {
	h := newHarness(t)
	job := mock.Job()
	h.registerJob(t, job)
	var v jobVersionsResponse
	h.getJSON(t, "/v1/job/"+job.ID+"/versions?diffs=true", &v)
	if len(v.Versions) != 1 || v.Versions[0].ID != job.ID || v.Diffs == nil || len(v.Diffs) != 0 {
		t.Fatalf("versions: %+v", v)
	}
	if resp, _ := h.do(t, http.MethodGet, "/v1/job/nope/versions", nil); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("missing job: %d", resp.StatusCode)
	}
	if resp, _ := h.do(t, http.MethodGet, "/v1/job/"+job.ID+"/versions?diffs=maybe", nil); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad diffs: %d", resp.StatusCode)
	}
}

func TestPrefixSearch(t *testing.T) {
	h := newHarness(t)
	job, node, allocs := h.seedJob(t)

	var r searchResponse
	resp, body := h.do(t, http.MethodPut, "/v1/search", searchRequest{Prefix: job.ID[:len(job.ID)-2], Context: ctxJobs})
	mustUnmarshal(t, body, &r)
	if resp.StatusCode != http.StatusOK || len(r.Matches[ctxJobs]) != 1 || r.Matches[ctxJobs][0] != job.ID || r.Truncations[ctxJobs] {
		t.Fatalf("jobs: %d %s", resp.StatusCode, body)
	}

	_, body = h.do(t, http.MethodPut, "/v1/search", searchRequest{Prefix: allocs[0].ID[:8], Context: ctxAll})
	r = searchResponse{}
	mustUnmarshal(t, body, &r)
	if got := r.Matches[ctxAllocs]; len(got) != 1 || got[0] != allocs[0].ID {
		t.Fatalf("all/allocs: %s", body)
	}
	for _, c := range searchContexts {
		if _, ok := r.Matches[c]; !ok {
			t.Errorf("context %s missing from an all search: %s", c, body)
		}
	}

	_, body = h.do(t, http.MethodPut, "/v1/search", searchRequest{Prefix: node.ID, Context: ctxNodes})
	r = searchResponse{}
	mustUnmarshal(t, body, &r)
	if got := r.Matches[ctxNodes]; len(got) != 1 || got[0] != node.ID {
		t.Fatalf("nodes: %s", body)
	}

	if resp, _ := h.do(t, http.MethodPut, "/v1/search", searchRequest{Prefix: "x", Context: "plugins"}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("unsupported context: %d", resp.StatusCode)
	}
}

func TestBuiltinNamespacesAndPools(t *testing.T) {
	h := newHarness(t)
	var nss []namespace
	h.getJSON(t, "/v1/namespaces", &nss)
	if len(nss) != 1 || nss[0].Name != "default" {
		t.Fatalf("namespaces: %+v", nss)
	}
	h.getJSON(t, "/v1/namespaces?prefix=x", &nss)
	if len(nss) != 0 {
		t.Fatalf("prefix x: %+v", nss)
	}
	var ns namespace
	h.getJSON(t, "/v1/namespace/default", &ns)
	if ns.Name != "default" {
		t.Fatalf("namespace: %+v", ns)
	}
	if resp, _ := h.do(t, http.MethodGet, "/v1/namespace/nope", nil); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("missing namespace: %d", resp.StatusCode)
	}
	var pools []nodePool
	h.getJSON(t, "/v1/node/pools", &pools)
	if len(pools) != 2 || pools[0].Name != "all" || pools[1].Name != "default" {
		t.Fatalf("pools: %+v", pools)
	}
	h.getJSON(t, "/v1/node/pools?prefix=def", &pools)
	if len(pools) != 1 || pools[0].Name != "default" {
		t.Fatalf("pools prefix: %+v", pools)
	}
}
