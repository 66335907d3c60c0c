package structs

import (
	"bytes"
	"fmt"
	"reflect"

	"github.com/hashicorp/go-msgpack/v2/codec"
)

// MsgpackHandle is the codec for Raft entries and snapshots. Maps decode to
// map[string]interface{} so free-form driver config survives a round trip.
func newMsgpackHandle() *codec.MsgpackHandle {
	h := &codec.MsgpackHandle{}
	h.RawToString = true
	h.MapType = reflect.TypeOf(map[string]interface{}(nil))
	return h
}

// MsgpackHandle is shared; codec handles are safe for concurrent use once
// configured.
var MsgpackHandle = newMsgpackHandle()

// Encode prefixes a msgpack encoding of msg with its message type.
func Encode(t MessageType, msg interface{}) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte(uint8(t))
	if err := codec.NewEncoder(&buf, MsgpackHandle).Encode(msg); err != nil {
		return nil, fmt.Errorf("encoding message type %d: %w", t, err)
	}
	return buf.Bytes(), nil
}

// Decode decodes a msgpack buffer (without the type byte) into out.
func Decode(buf []byte, out interface{}) error {
	return codec.NewDecoderBytes(buf, MsgpackHandle).Decode(out)
}
