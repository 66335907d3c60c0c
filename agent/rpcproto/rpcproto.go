// Package rpcproto is the wire protocol on a server's RPC port, shared by
// servers and clients: one TCP port carries both Drover RPC and Raft, told
// apart by the first byte of each connection. RPC connections are yamux
// sessions; each call is a stream carrying net/rpc with msgpack.
package rpcproto

import (
	"fmt"
	"io"
	"net/rpc"
	"strconv"
	"strings"

	"github.com/hashicorp/go-msgpack/v2/codec"

	"github.com/drover-project/drover/structs"
)

// Connection types: the first byte a dialer writes.
const (
	// TypeRPC starts a yamux session of RPC streams.
	TypeRPC byte = 0x01
	// TypeRaft starts a Raft transport connection.
	TypeRaft byte = 0x02
)

// ServerCodec returns the server side of an RPC stream.
func ServerCodec(conn io.ReadWriteCloser) rpc.ServerCodec {
	return codec.MsgpackSpecRpc.ServerCodec(conn, structs.MsgpackHandle)
}

// ClientCodec returns the client side of an RPC stream.
func ClientCodec(conn io.ReadWriteCloser) rpc.ClientCodec {
	return codec.MsgpackSpecRpc.ClientCodec(conn, structs.MsgpackHandle)
}

// codedPrefix marks an error string that carries an HTTP status across RPC.
const codedPrefix = "rpc-coded-error:"

// EncodeError prepares an endpoint's error for the wire: a
// *structs.CodedError keeps its status code.
func EncodeError(err error) error {
	if err == nil {
		return nil
	}
	if code, ok := structs.ErrorCode(err); ok {
		return fmt.Errorf("%s%d:%s", codedPrefix, code, err.Error())
	}
	return err
}

// DecodeError turns an error string from the wire back into a
// *structs.CodedError when it carries a status code.
func DecodeError(msg string) (error, bool) {
	rest, ok := strings.CutPrefix(msg, codedPrefix)
	if !ok {
		return nil, false
	}
	codeStr, text, ok := strings.Cut(rest, ":")
	code, err := strconv.Atoi(codeStr)
	if !ok || err != nil {
		return nil, false
	}
	return structs.NewCodedError(code, "%s", text), true
}
