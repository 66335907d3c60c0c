package structs

// KeyringPublicKey is the public half of a key that signs workload
// identities, as published in /.well-known/jwks.json (Nomad's
// structs.KeyringPublicKey).
type KeyringPublicKey struct {
	// KeyID is the JWK "kid".
	KeyID string
	// PublicKey is the raw public key (32 bytes for EdDSA).
	PublicKey []byte
	// Algorithm is the JWS algorithm, e.g. "EdDSA".
	Algorithm string
	// Use is the JWK "use", always "sig".
	Use string
	// CreateTime is when the key was made, in Unix nanoseconds.
	CreateTime int64
}

// PubKeyAlgEdDSA is the JWS algorithm of ed25519 keys.
const PubKeyAlgEdDSA = "EdDSA"
