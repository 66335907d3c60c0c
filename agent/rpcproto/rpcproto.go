// Package rpcproto is the wire protocol on a server's RPC port, shared by
// servers and clients: one TCP port carries both Drover RPC and Raft, told
// apart by the first byte of each connection. RPC connections are yamux
// sessions; each call is a stream carrying net/rpc with msgpack.
package rpcproto

import (
	"io"
	"net/rpc"

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
