package httpapi

import (
	"errors"
	"net/http"

	"github.com/drover-project/drover/structs"
)

// badRequest is a 400 with a formatted message.
func badRequest(format string, args ...interface{}) error {
	return structs.NewCodedError(http.StatusBadRequest, format, args...)
}

// notFound is a 404 with a fixed message ("job not found").
func notFound(msg string) error {
	return &structs.CodedError{Code: http.StatusNotFound, Message: msg}
}

// errorStatus maps an error to the status and plain-text body Nomad would
// answer with: a CodedError's own code, 404 for ErrNotFound and
// ErrUnknownNode, 403 for ErrPermission, 500 otherwise.
func errorStatus(err error) (int, string) {
	if code, ok := structs.ErrorCode(err); ok {
		return code, err.Error()
	}
	switch {
	case errors.Is(err, structs.ErrNotFound), errors.Is(err, structs.ErrUnknownNode):
		return http.StatusNotFound, err.Error()
	case errors.Is(err, structs.ErrPermission):
		return http.StatusForbidden, err.Error()
	}
	return http.StatusInternalServerError, err.Error()
}
