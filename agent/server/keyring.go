package server

import (
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/hashicorp/go-uuid"

	"github.com/drover-project/drover/structs"
)

// keyring holds the keys that will sign workload identities. For now it is
// one ed25519 key generated when the server starts and kept in memory only:
// it is neither replicated through Raft nor persisted, so it changes on every
// restart and would differ between servers. That is enough to publish a
// JWKS; a replicated keyring (rotation, /v1/operator/keyring) comes later.
//
// A keyring is immutable after newKeyring and safe for concurrent use.
type keyring struct {
	keyID   string
	created time.Time
	private ed25519.PrivateKey
}

// newKeyring generates the server's signing key.
func newKeyring(now time.Time) (*keyring, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generating the identity signing key: %w", err)
	}
	id, err := uuid.GenerateUUID()
	if err != nil {
		return nil, fmt.Errorf("generating the signing key's ID: %w", err)
	}
	return &keyring{keyID: id, created: now, private: priv}, nil
}

// publicKeys returns the public halves of the keyring's keys.
func (k *keyring) publicKeys() []structs.KeyringPublicKey {
	pub := k.private.Public().(ed25519.PublicKey)
	return []structs.KeyringPublicKey{{
		KeyID:      k.keyID,
		PublicKey:  append([]byte(nil), pub...),
		Algorithm:  structs.PubKeyAlgEdDSA,
		Use:        "sig",
		CreateTime: k.created.UnixNano(),
	}}
}

// PublicKeys returns the keys that verify identities this server signs
// (for /.well-known/jwks.json). The slice is the caller's.
func (s *Server) PublicKeys() []structs.KeyringPublicKey { return s.keyring.publicKeys() }
