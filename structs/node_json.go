package structs

import (
	"encoding/json"
	"time"
)

// Nomad's API encodes DriverInfo.UpdateTime and NodeEvent.Timestamp as
// RFC 3339 times (Go time.Time), while Drover keeps them as Unix nanoseconds
// (cheap to copy, msgpack-stable). These methods convert at the JSON
// boundary only; the msgpack encoding of Raft entries is unchanged.

// unixNanoTime turns Unix nanoseconds into a time; 0 is the zero time.
func unixNanoTime(ns int64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns).UTC()
}

// timeUnixNano is the inverse of unixNanoTime.
func timeUnixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// MarshalJSON encodes UpdateTime as an RFC 3339 time.
func (d DriverInfo) MarshalJSON() ([]byte, error) {
	type plain DriverInfo
	return json.Marshal(struct {
		plain
		UpdateTime time.Time
	}{plain(d), unixNanoTime(d.UpdateTime)})
}

// UnmarshalJSON decodes UpdateTime from an RFC 3339 time.
func (d *DriverInfo) UnmarshalJSON(b []byte) error {
	type plain DriverInfo
	v := struct {
		*plain
		UpdateTime time.Time
	}{plain: (*plain)(d)}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	d.UpdateTime = timeUnixNano(v.UpdateTime)
	return nil
}

// MarshalJSON encodes Timestamp as an RFC 3339 time.
func (e NodeEvent) MarshalJSON() ([]byte, error) {
	type plain NodeEvent
	return json.Marshal(struct {
		plain
		Timestamp time.Time
	}{plain(e), unixNanoTime(e.Timestamp)})
}

// UnmarshalJSON decodes Timestamp from an RFC 3339 time.
func (e *NodeEvent) UnmarshalJSON(b []byte) error {
	type plain NodeEvent
	v := struct {
		*plain
		Timestamp time.Time
	}{plain: (*plain)(e)}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	e.Timestamp = timeUnixNano(v.Timestamp)
	return nil
}
