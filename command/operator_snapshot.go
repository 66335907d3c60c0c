package command

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/drover-project/drover/agent/server"
)

// operatorSnapshotSaveCommand is `drover operator snapshot save`.
type operatorSnapshotSaveCommand struct{ *Meta }

func (c *operatorSnapshotSaveCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover operator snapshot save [options] <file>

  Saves a snapshot of the cluster's state (jobs, nodes, allocations and
  evaluations, as the leader has them) to <file>: a gzipped tar holding the
  Raft snapshot metadata (meta.json), Drover's state stream (state.bin) and
  their SHA-256 sums (SHA256SUMS). The file is written only once the whole
  snapshot arrived and matched the server's digest.
`)
}

func (c *operatorSnapshotSaveCommand) Synopsis() string {
	return "Saves the current state of the cluster to a file"
}

func (c *operatorSnapshotSaveCommand) Run(args []string) int {
	fs := c.FlagSet()
	if !c.parseFlags(fs, args) {
		return 1
	}
	if fs.NArg() != 1 {
		return c.wrongArgs("This command takes one argument: <file>")
	}
	path := fs.Arg(0)
	client := c.client()
	if client == nil {
		return 1
	}
	snap, err := client.Operator().Snapshot(c.query(nil))
	if err != nil {
		c.Errorf("Failed to get snapshot file: %v", err)
		return 1
	}
	defer snap.Close()
	// Write next to the target and rename, so a failed save never leaves
	// a truncated file under the requested name.
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		c.Errorf("Failed to create snapshot file: %v", err)
		return 1
	}
	defer os.Remove(tmp.Name())
	_, err = io.Copy(tmp, snap)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		c.Errorf("Failed to write snapshot file: %v", err)
		return 1
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		c.Errorf("Failed to write snapshot file: %v", err)
		return 1
	}
	c.Outputf("State file written to %s", path)
	return 0
}

// operatorSnapshotRestoreCommand is `drover operator snapshot restore`.
type operatorSnapshotRestoreCommand struct{ *Meta }

func (c *operatorSnapshotRestoreCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover operator snapshot restore [options] <file>

  Restores a snapshot written by "drover operator snapshot save": the
  cluster's jobs, nodes, allocations and evaluations are replaced by the
  snapshot's on every server. The set of servers is kept. The server checks
  the whole file before it changes anything.
`)
}

func (c *operatorSnapshotRestoreCommand) Synopsis() string {
	return "Restore snapshot of cluster state"
}

func (c *operatorSnapshotRestoreCommand) Run(args []string) int {
	fs := c.FlagSet()
	if !c.parseFlags(fs, args) {
		return 1
	}
	if fs.NArg() != 1 {
		return c.wrongArgs("This command takes one argument: <file>")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		c.Errorf("Error opening snapshot file: %v", err)
		return 1
	}
	defer f.Close()
	client := c.client()
	if client == nil {
		return 1
	}
	if err := client.Operator().SnapshotRestore(f, c.write()); err != nil {
		c.Errorf("Error restoring snapshot: %v", err)
		return 1
	}
	c.Outputf("Snapshot Restored")
	return 0
}

// operatorSnapshotInspectCommand is `drover operator snapshot inspect`.
type operatorSnapshotInspectCommand struct{ *Meta }

func (c *operatorSnapshotInspectCommand) Help() string {
	return strings.TrimSpace(`
Usage: drover operator snapshot inspect <file>

  Checks a snapshot file and describes it: its Raft ID, size, index, term
  and version, and how many objects of each kind it holds. It reads only
  the file; no agent is contacted.
`)
}

func (c *operatorSnapshotInspectCommand) Synopsis() string {
	return "Displays information about a snapshot file"
}

func (c *operatorSnapshotInspectCommand) Run(args []string) int {
	fs := c.FlagSet()
	if !c.parseFlags(fs, args) {
		return 1
	}
	if fs.NArg() != 1 {
		return c.wrongArgs("This command takes one argument: <file>")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		c.Errorf("Error opening snapshot file: %v", err)
		return 1
	}
	defer f.Close()
	info, err := server.InspectSnapshot(f)
	if err != nil {
		c.Errorf("Error inspecting snapshot: %v", err)
		return 1
	}
	c.Outputf("%s", formatKV([]string{
		"ID|" + info.ID,
		fmt.Sprintf("Size|%d", info.Size),
		fmt.Sprintf("Index|%d", info.Index),
		fmt.Sprintf("Term|%d", info.Term),
		fmt.Sprintf("Version|%d", info.Version),
	}))
	c.Outputf("")
	c.Outputf("%s", columnize([]string{
		"Type|Count",
		fmt.Sprintf("Jobs|%d", info.Jobs),
		fmt.Sprintf("Nodes|%d", info.Nodes),
		fmt.Sprintf("Allocations|%d", info.Allocs),
		fmt.Sprintf("Evaluations|%d", info.Evals),
	}))
	return 0
}
