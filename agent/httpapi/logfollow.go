package httpapi

import (
	"os"
	"strconv"
	"strings"
)

// nextLogFile returns the file a task's log continues in once path is
// rotated: <task>.<type>.N is followed by <task>.<type>.N+1. ok is false
// when that file does not exist (yet).
func nextLogFile(path string) (string, bool) {
	dot := strings.LastIndexByte(path, '.')
	if dot < 0 {
		return "", false
	}
	n, err := strconv.Atoi(path[dot+1:])
	if err != nil || n < 0 {
		return "", false
	}
	next := path[:dot+1] + strconv.Itoa(n+1)
	if _, err := os.Stat(next); err != nil {
		return "", false
	}
	return next, true
}
