package command

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/drover-project/drover/jobspec"
)

// defaultJobFile is the file `job init` writes when given no name.
const defaultJobFile = "example.hcl"

// jobInitCommand is `drover job init`.
type jobInitCommand struct{ *Meta }

func (c *jobInitCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover job init [options] [filename]

  Creates an example job file to start from. The file is named
  example.hcl unless a name is given; an existing file is never
  overwritten.

Init Options:

  -short
    Write the example without its explanatory comments.
`)
}

func (c *jobInitCommand) Synopsis() string { return "Create an example job file" }

func (c *jobInitCommand) Run(args []string) int {
	fs := c.FlagSet()
	short := fs.Bool("short", false, "")
	if !c.parseFlags(fs, args) {
		return 1
	}
	if fs.NArg() > 1 {
		return c.wrongArgs("This command takes no arguments or one: <filename>")
	}
	name := defaultJobFile
	if fs.NArg() == 1 {
		name = fs.Arg(0)
	}
	content := jobspec.Example
	if *short {
		content = stripComments(content)
	}
	if err := writeNew(name, content); err != nil {
		if errors.Is(err, os.ErrExist) {
			c.Errorf("Job '%s' already exists", name)
		} else {
			c.Errorf("Failed to write '%s': %v", name, err)
		}
		return 1
	}
	c.Outputf("Example job file written to %s", name)
	return 0
}

// writeNew creates name with content, failing with os.ErrExist if it is
// already there (checked atomically by O_EXCL).
func writeNew(name, content string) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("creating %s: %w", name, os.ErrExist)
		}
		return fmt.Errorf("creating %s: %w", name, err)
	}
	if _, err := f.WriteString(content); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", name, err)
	}
	return nil
}

// stripComments drops whole-line "#" comments and the blank lines they
// leave behind.
func stripComments(src string) string {
	var out []string
	for _, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "#") || t == "" {
			continue
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n") + "\n"
}
