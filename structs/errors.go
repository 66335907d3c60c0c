package structs

import (
	"errors"
	"fmt"
)

// Errors servers return that callers act on; wrap them with %w.
var (
	ErrUnknownNode = errors.New("unknown node")
	ErrNotFound    = errors.New("not found")
	ErrNoLeader    = errors.New("no cluster leader")
	ErrNotLeader   = errors.New("not the cluster leader")
	ErrPermission  = errors.New("permission denied")
)

// CodedError is an error that carries the HTTP status it should be answered
// with (400 for bad input, 404 for unknown objects, ...).
type CodedError struct {
	Code    int
	Message string
}

func (e *CodedError) Error() string { return e.Message }

// NewCodedError returns a CodedError with a formatted message.
func NewCodedError(code int, format string, args ...interface{}) error {
	return &CodedError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the HTTP status carried by err, if any.
func ErrorCode(err error) (int, bool) {
	var ce *CodedError
	if errors.As(err, &ce) {
		return ce.Code, true
	}
	return 0, false
}
