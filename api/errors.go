package api

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// maxErrorBody bounds how much of an error body is kept.
const maxErrorBody = 64 * 1024

// StatusError is a non-2xx answer. Its message reads like Nomad's:
// "Unexpected response code: 404 (job not found)".
type StatusError struct {
	// Code is the HTTP status code.
	Code int
	// Body is the answer's body text, trimmed of surrounding space.
	Body string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("Unexpected response code: %d (%s)", e.Code, e.Body)
}

func newStatusError(resp *http.Response) *StatusError {
	buf, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	body := strings.TrimSpace(string(buf))
	if err != nil && body == "" {
		body = fmt.Sprintf("reading error body: %v", err)
	}
	return &StatusError{Code: resp.StatusCode, Body: body}
}

// StatusCode returns the HTTP status carried by err (a *StatusError
// anywhere in its chain) or 0.
func StatusCode(err error) int {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code
	}
	return 0
}

// IsNotFound reports whether err is a 404 answer.
func IsNotFound(err error) bool { return StatusCode(err) == http.StatusNotFound }
