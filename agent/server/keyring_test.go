package server

import (
	"crypto/ed25519"
	"strings"
	"testing"
	"time"

	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

func TestKeyring_PublicKeyVerifiesSignatures(t *testing.T) {
	now := time.Unix(1700000000, 0)
	kr, err := newKeyring(now)
	if err != nil {
		t.Fatal(err)
	}
	keys := kr.publicKeys()
	if len(keys) != 1 {
		t.Fatalf("%d keys", len(keys))
	}
	k := keys[0]
	if k.KeyID == "" || k.Algorithm != structs.PubKeyAlgEdDSA || k.Use != "sig" || k.CreateTime != now.UnixNano() {
		t.Fatalf("key metadata: %+v", k)
	}
	msg := []byte("workload identity")
	if !ed25519.Verify(ed25519.PublicKey(k.PublicKey), msg, ed25519.Sign(kr.private, msg)) {
		t.Fatal("published key does not verify the keyring's signatures")
	}
	// The caller owns the returned bytes.
	k.PublicKey[0] ^= 0xff
	if !ed25519.Verify(ed25519.PublicKey(kr.publicKeys()[0].PublicKey), msg, ed25519.Sign(kr.private, msg)) {
		t.Fatal("modifying a returned key changed the keyring")
	}
	other, err := newKeyring(now)
	if err != nil {
		t.Fatal(err)
	}
	if other.keyID == kr.keyID || other.private.Equal(kr.private) {
		t.Fatal("two keyrings share a key")
	}
}

func TestValidateJob_ReportsEachProblem(t *testing.T) {
	s := &Server{config: DefaultConfig()}
	job := mock.Job()
	job.ID = "job-id/with\\troublesome:characters\n?&字"
	if problems := s.ValidateJob(job); len(problems) != 0 {
		t.Fatalf("Nomad accepts this ID; got %v", problems)
	}
	job.ID = "has space"
	job.Priority = 500
	problems := s.ValidateJob(job)
	if len(problems) != 2 || !strings.Contains(problems[0], "space") || !strings.Contains(problems[1], "priority") {
		t.Fatalf("problems: %q", problems)
	}
	if job.Priority != 500 || job.ID != "has space" {
		t.Fatal("ValidateJob modified its argument")
	}
}
