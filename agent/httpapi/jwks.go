package httpapi

import (
	"encoding/base64"
	"errors"
	"net/http"

	"github.com/drover-project/drover/structs"
)

// keyringServer is the optional ability of a Server to publish the public
// keys that verify the workload identities it signs.
type keyringServer interface {
	PublicKeys() []structs.KeyringPublicKey
}

// errNoLeader is Nomad's answer when a request needs a leader and none is
// known.
var errNoLeader = structs.NewCodedError(http.StatusInternalServerError, "No cluster leader")

// jwk is one JSON Web Key (RFC 7517) of an OKP key (RFC 8037).
type jwk struct {
	KeyType   string `json:"kty"`
	Curve     string `json:"crv"`
	X         string `json:"x"`
	KeyID     string `json:"kid"`
	Use       string `json:"use"`
	Algorithm string `json:"alg"`
}

// jwksResponse is a JWK set.
type jwksResponse struct {
	Keys []jwk `json:"keys"`
}

// jwks answers GET /.well-known/jwks.json with the servers' public signing
// keys. As in Nomad it needs a leader (the keyring is cluster state there),
// so a 200 with keys also tells a waiting client that a leader exists.
func (a *api) jwks(*request) (interface{}, error) {
	if a.cfg.Server.Leader() == "" {
		return nil, errNoLeader
	}
	ks, ok := a.cfg.Server.(keyringServer)
	if !ok {
		return nil, errors.New("this server has no keyring")
	}
	out := jwksResponse{Keys: []jwk{}}
	for _, k := range ks.PublicKeys() {
		if k.Algorithm != structs.PubKeyAlgEdDSA {
			return nil, errors.New("keyring key " + k.KeyID + " has unsupported algorithm " + k.Algorithm)
		}
		out.Keys = append(out.Keys, jwk{
			KeyType:   "OKP",
			Curve:     "Ed25519",
			X:         base64.RawURLEncoding.EncodeToString(k.PublicKey),
			KeyID:     k.KeyID,
			Use:       k.Use,
			Algorithm: k.Algorithm,
		})
	}
	return out, nil
}
