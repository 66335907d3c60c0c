package client

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	uuid "github.com/hashicorp/go-uuid"
)

// persistentID returns the UUID stored in dir/name, creating it on first
// use, so the node keeps its identity across agent restarts.
func persistentID(dir, name string) (string, error) {
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		id := strings.TrimSpace(string(b))
		if _, perr := uuid.ParseUUID(id); perr != nil {
			return "", fmt.Errorf("%s holds an invalid ID %q: %w", path, id, perr)
		}
		return id, nil
	case !errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	id, err := uuid.GenerateUUID()
	if err != nil {
		return "", fmt.Errorf("generating %s: %w", name, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("creating %s: %w", dir, err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(id), 0o600); err != nil {
		return "", fmt.Errorf("writing %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", fmt.Errorf("storing %s: %w", path, err)
	}
	return id, nil
}
