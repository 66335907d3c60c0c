package rawexec

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// lookupCommand resolves a task's command to an executable path. A command
// with a slash is absolute or relative to the task directory; a bare name
// is looked for in the task directory, its local/ directory, and then in
// the task's PATH (or the agent's when the task sets none).
func lookupCommand(command, taskDir, pathEnv string) (string, error) {
	if command == "" {
		return "", errors.New("empty command")
	}
	if strings.Contains(command, "/") {
		p := command
		if !filepath.IsAbs(p) {
			p = filepath.Join(taskDir, p)
		}
		if err := checkExecutable(p); err != nil {
			return "", fmt.Errorf("command %q: %w", command, err)
		}
		return p, nil
	}
	candidates := []string{}
	if taskDir != "" {
		candidates = append(candidates, filepath.Join(taskDir, command), filepath.Join(taskDir, "local", command))
	}
	if pathEnv == "" {
		pathEnv = os.Getenv("PATH")
	}
	for _, dir := range filepath.SplitList(pathEnv) {
		if dir == "" {
			dir = "."
		}
		candidates = append(candidates, filepath.Join(dir, command))
	}
	for _, p := range candidates {
		if checkExecutable(p) == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("command %q not found in the task directory or PATH", command)
}

func checkExecutable(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return fmt.Errorf("%s is a directory", path)
	}
	if fi.Mode().Perm()&0o111 == 0 {
		return fmt.Errorf("%s is not executable", path)
	}
	return nil
}
