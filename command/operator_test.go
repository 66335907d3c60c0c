package command

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drover-project/drover/agent/server"
	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

func TestOperatorRaftListPeers(t *testing.T) {
	f := newFakeAgent(t)
	f.json("GET /v1/operator/raft/configuration", &structs.RaftConfigurationResponse{Index: 9, Servers: []*structs.RaftServer{
		{ID: "s1", Node: "s1", Address: "10.0.0.1:4647", Leader: true, Voter: true, RaftProtocol: "3"},
		{ID: "server-two", Node: "server-two", Address: "10.0.0.2:4647", Voter: true, RaftProtocol: "3"},
	}})
	r := f.run("operator", "raft", "list-peers")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	want := "Node        ID          Address        State     Voter  RaftProtocol\n" +
		"s1          s1          10.0.0.1:4647  leader    true   3\n" +
		"server-two  server-two  10.0.0.2:4647  follower  true   3\n"
	if r.out != want {
		t.Fatalf("got:\n%s\nwant:\n%s", r.out, want)
	}
}

func TestOperatorRaftRemovePeer(t *testing.T) {
	f := newFakeAgent(t)
	f.json("DELETE /v1/operator/raft/peer", nil)
	if r := f.run("operator", "raft", "remove-peer", "-peer-address=10.0.0.3:4647"); r.code != 0 || r.out != "Removed peer with address \"10.0.0.3:4647\"\n" {
		t.Fatalf("by address: %+v", r)
	}
	if !f.requested("DELETE /v1/operator/raft/peer?address=10.0.0.3%3A4647") {
		t.Fatalf("requests %v", f.requests)
	}
	if r := f.run("operator", "raft", "remove-peer", "-peer-id=s3"); r.code != 0 || !f.requested("DELETE /v1/operator/raft/peer?id=s3") {
		t.Fatalf("by id: %+v %v", r, f.requests)
	}
	for _, args := range [][]string{{}, {"-peer-id=a", "-peer-address=b"}} {
		if r := f.run(append([]string{"operator", "raft", "remove-peer"}, args...)...); r.code != 1 {
			t.Errorf("%v: exit %d", args, r.code)
		}
	}
	f.fail("DELETE /v1/operator/raft/peer", 404, `id "s9" was not found in the Raft configuration`)
	if r := f.run("operator", "raft", "remove-peer", "-peer-id=s9"); r.code != 1 || !strings.Contains(r.err, "was not found") {
		t.Fatalf("unknown peer: %+v", r)
	}
}

// realSnapshot saves a snapshot of a dev server holding one job.
func realSnapshot(t *testing.T) []byte {
	t.Helper()
	cfg := server.DefaultConfig()
	cfg.DevMode = true
	cfg.NodeName = "snap"
	s, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.WaitForLeader(ctx); err != nil {
		t.Fatal(err)
	}
	var resp *structs.JobRegisterResponse
	for resp == nil { // leader duties start just after the election
		resp, err = s.RegisterJob(ctx, &structs.JobRegisterHTTPRequest{Job: mock.Job()})
		if err != nil {
			if ctx.Err() != nil {
				t.Fatal(err)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	var buf bytes.Buffer
	if err := s.SaveSnapshot(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestOperatorSnapshotSaveInspectRestore(t *testing.T) {
	archive := realSnapshot(t)
	sum := sha256.Sum256(archive)
	digest := "sha-256=" + base64.StdEncoding.EncodeToString(sum[:])
	f := newFakeAgent(t)
	serve := func(digest string) {
		f.handle("GET /v1/operator/snapshot", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Digest", digest)
			_, _ = w.Write(archive)
		})
	}
	serve(digest)
	dir := t.TempDir()
	path := filepath.Join(dir, "backup.snap")

	r := f.run("operator", "snapshot", "save", path)
	if r.code != 0 || r.out != "State file written to "+path+"\n" {
		t.Fatalf("save: %+v", r)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, archive) {
		t.Fatal("saved file differs from what the agent sent")
	}

	r = f.run("operator", "snapshot", "inspect", path)
	if r.code != 0 {
		t.Fatalf("inspect: %+v", r)
	}
	wantLines(t, r.out, "Version = 1", "Type         Count", "Jobs         1", "Nodes        0", "Allocations  0")
	if !strings.Contains(r.out, "ID      = ") || !strings.Contains(r.out, "Term    = ") {
		t.Fatalf("inspect output:\n%s", r.out)
	}

	f.json("PUT /v1/operator/snapshot", nil)
	r = f.run("operator", "snapshot", "restore", path)
	if r.code != 0 || r.out != "Snapshot Restored\n" {
		t.Fatalf("restore: %+v", r)
	}
	f.mu.Lock()
	body := f.bodies[len(f.bodies)-1]
	f.mu.Unlock()
	if body != string(archive) {
		t.Fatal("restore did not upload the file as is")
	}

	// A body that does not match its digest is not saved.
	serve("sha-256=" + base64.StdEncoding.EncodeToString(make([]byte, 32)))
	bad := filepath.Join(dir, "bad.snap")
	if r := f.run("operator", "snapshot", "save", bad); r.code != 1 || !strings.Contains(r.err, "checksum mismatch") {
		t.Fatalf("bad digest: %+v", r)
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Fatalf("a snapshot with a bad digest was written: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}

	// Inspect refuses a file that is not a snapshot.
	junk := filepath.Join(dir, "junk")
	_ = os.WriteFile(junk, []byte("junk"), 0o600)
	if r := f.run("operator", "snapshot", "inspect", junk); r.code != 1 || !strings.Contains(r.err, "not gzip") {
		t.Fatalf("inspect junk: %+v", r)
	}
}

func TestOperatorAutopilotHealth(t *testing.T) {
	f := newFakeAgent(t)
	reply := &structs.OperatorHealthReply{Healthy: false, FailureTolerance: 0, Leader: "s1", Voters: []string{"s1", "s2"},
		Servers: []structs.ServerHealth{
			{ID: "s1", Name: "s1", Address: "10.0.0.1:4647", SerfStatus: "alive", Leader: true, Voter: true, Healthy: true, LastTerm: 2, LastIndex: 40, StableSince: now.Add(-time.Hour)},
			{ID: "s2", Name: "s2", Address: "10.0.0.2:4647", SerfStatus: "failed", Voter: true, LastContact: 3 * time.Second, LastTerm: 2, LastIndex: 31, StableSince: now.Add(-time.Minute)},
		}}
	f.handle("GET /v1/operator/autopilot/health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests) // as Nomad answers an unhealthy cluster
		_ = json.NewEncoder(w).Encode(reply)
	})
	r := f.run("operator", "autopilot", "health")
	if r.code != 2 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	wantLines(t, r.out,
		"Healthy           = false",
		"Failure Tolerance = 0",
		"Leader            = s1",
		"Name  Address        Serf Status  Leader  Voter  Healthy  Last Contact  Last Term  Last Index  Stable Since",
		"s1    10.0.0.1:4647  alive        true    true   true     0s            2          40          2024-05-06T06:08:09Z",
		"s2    10.0.0.2:4647  failed       false   true   false    3s            2          31          2024-05-06T07:07:09Z",
	)
}
