package server

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/raft"

	"github.com/drover-project/drover/state"
	"github.com/drover-project/drover/structs"
)

// A snapshot archive (operator snapshot save/restore/inspect) is a gzipped
// tar of three files, in this order:
//
//	meta.json   the Raft snapshot metadata (raft.SnapshotMeta as JSON)
//	state.bin   the FSM snapshot stream, exactly as fsmSnapshot.persist
//	            writes it (a version header, then tagged msgpack records)
//	SHA256SUMS  "<hex sha256>  <name>" for meta.json and state.bin
//
// The layout follows Nomad's, but state.bin is Drover's own stream: a
// Nomad snapshot cannot be restored into Drover nor the other way round.
const (
	archiveMeta  = "meta.json"
	archiveState = "state.bin"
	archiveSums  = "SHA256SUMS"
	// maxArchiveMeta bounds meta.json and SHA256SUMS, which are small.
	maxArchiveMeta = 1 << 20
)

// writeSnapshotArchive writes meta and the state stream (meta.Size bytes
// long) to w as an archive.
func writeSnapshotArchive(w io.Writer, meta *raft.SnapshotMeta, stateStream io.Reader) error {
	metaJSON, err := json.Marshal(meta)
	if err != nil {
		return fmt.Errorf("encoding snapshot metadata: %w", err)
	}
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	now := time.Now()
	header := func(name string, size int64) error {
		return tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: size, ModTime: now, Typeflag: tar.TypeReg})
	}

	metaSum := sha256.Sum256(metaJSON)
	if err := header(archiveMeta, int64(len(metaJSON))); err != nil {
		return fmt.Errorf("writing %s: %w", archiveMeta, err)
	}
	if _, err := tw.Write(metaJSON); err != nil {
		return fmt.Errorf("writing %s: %w", archiveMeta, err)
	}

	if err := header(archiveState, meta.Size); err != nil {
		return fmt.Errorf("writing %s: %w", archiveState, err)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tw, h), stateStream)
	if err != nil {
		return fmt.Errorf("writing %s: %w", archiveState, err)
	}
	if n != meta.Size {
		return fmt.Errorf("writing %s: snapshot is %d bytes, its metadata says %d", archiveState, n, meta.Size)
	}

	sums := fmt.Sprintf("%s  %s\n%s  %s\n", hex.EncodeToString(metaSum[:]), archiveMeta, hex.EncodeToString(h.Sum(nil)), archiveState)
	if err := header(archiveSums, int64(len(sums))); err != nil {
		return fmt.Errorf("writing %s: %w", archiveSums, err)
	}
	if _, err := io.WriteString(tw, sums); err != nil {
		return fmt.Errorf("writing %s: %w", archiveSums, err)
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("closing snapshot archive: %w", err)
	}
	if err := gz.Close(); err != nil {
		return fmt.Errorf("closing snapshot archive: %w", err)
	}
	return nil
}

// readSnapshotArchive reads an archive from r, copying the state stream to
// stateOut, and checks both files against SHA256SUMS. It returns the
// metadata with Size set to the state stream's actual length. On error,
// what was written to stateOut must be discarded.
func readSnapshotArchive(r io.Reader, stateOut io.Writer) (*raft.SnapshotMeta, error) {
	gz, err := gzip.NewReader(bufio.NewReader(r))
	if err != nil {
		return nil, fmt.Errorf("snapshot archive is not gzip: %w", err)
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	var (
		metaJSON, sums []byte
		stateSum       []byte
		stateSize      int64
		seenState      bool
	)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading snapshot archive: %w", err)
		}
		switch hdr.Name {
		case archiveMeta:
			if metaJSON, err = readSmall(tr, hdr.Name); err != nil {
				return nil, err
			}
		case archiveSums:
			if sums, err = readSmall(tr, hdr.Name); err != nil {
				return nil, err
			}
		case archiveState:
			h := sha256.New()
			n, err := io.Copy(io.MultiWriter(stateOut, h), tr)
			if err != nil {
				return nil, fmt.Errorf("reading %s from snapshot archive: %w", archiveState, err)
			}
			stateSum, stateSize, seenState = h.Sum(nil), n, true
		default:
			return nil, fmt.Errorf("snapshot archive holds unexpected file %q", hdr.Name)
		}
	}
	switch {
	case metaJSON == nil:
		return nil, fmt.Errorf("snapshot archive lacks %s", archiveMeta)
	case !seenState:
		return nil, fmt.Errorf("snapshot archive lacks %s", archiveState)
	case sums == nil:
		return nil, fmt.Errorf("snapshot archive lacks %s", archiveSums)
	}
	want, err := parseSums(sums)
	if err != nil {
		return nil, err
	}
	metaSum := sha256.Sum256(metaJSON)
	for name, got := range map[string][]byte{archiveMeta: metaSum[:], archiveState: stateSum} {
		if w, ok := want[name]; !ok || !bytes.Equal(w, got) {
			return nil, fmt.Errorf("snapshot archive is corrupt: %s does not match its checksum", name)
		}
	}
	var meta raft.SnapshotMeta
	if err := json.Unmarshal(metaJSON, &meta); err != nil {
		return nil, fmt.Errorf("decoding %s: %w", archiveMeta, err)
	}
	meta.Size = stateSize
	return &meta, nil
}

func readSmall(r io.Reader, name string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxArchiveMeta+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s from snapshot archive: %w", name, err)
	}
	if len(b) > maxArchiveMeta {
		return nil, fmt.Errorf("%s in snapshot archive is larger than %d bytes", name, maxArchiveMeta)
	}
	return b, nil
}

// parseSums reads SHA256SUMS lines ("<hex>  <name>").
func parseSums(b []byte) (map[string][]byte, error) {
	out := map[string][]byte{}
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		raw, err := hex.DecodeString(sum)
		if !ok || err != nil || len(raw) != sha256.Size {
			return nil, fmt.Errorf("%s line %d is malformed: %q", archiveSums, i+1, line)
		}
		out[name] = raw
	}
	return out, nil
}

// stateFile is a snapshot archive's state stream extracted to a temporary
// file and checked: it decodes into a complete state store.
type stateFile struct {
	*os.File
	meta *raft.SnapshotMeta
	info *structs.SnapshotInfo
}

// extractSnapshot reads an archive into a temporary file and decodes its
// state, so a corrupt archive is refused before anything is changed. The
// caller must call close.
func extractSnapshot(r io.Reader) (*stateFile, error) {
	f, err := os.CreateTemp("", "drover-snapshot-*.bin")
	if err != nil {
		return nil, fmt.Errorf("creating a temporary file for the snapshot: %w", err)
	}
	sf := &stateFile{File: f}
	fail := func(err error) (*stateFile, error) {
		sf.close()
		return nil, err
	}
	meta, err := readSnapshotArchive(r, f)
	if err != nil {
		return fail(err)
	}
	sf.meta = meta
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fail(err)
	}
	info, err := inspectState(f)
	if err != nil {
		return fail(err)
	}
	info.ID, info.Index, info.Term, info.Version, info.Size = meta.ID, meta.Index, meta.Term, int(meta.Version), meta.Size
	sf.info = info
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fail(err)
	}
	return sf, nil
}

func (sf *stateFile) close() {
	sf.File.Close()
	os.Remove(sf.File.Name())
}

// inspectState decodes a state stream into a fresh store and counts it.
func inspectState(r io.Reader) (*structs.SnapshotInfo, error) {
	st, err := state.NewStateStore()
	if err != nil {
		return nil, err
	}
	if err := restoreSnapshot(st, r); err != nil {
		return nil, fmt.Errorf("decoding snapshot state: %w", err)
	}
	info := &structs.SnapshotInfo{}
	jobs, err := st.Jobs(nil)
	if err != nil {
		return nil, err
	}
	nodes, err := st.Nodes(nil)
	if err != nil {
		return nil, err
	}
	allocs, err := st.Allocs(nil)
	if err != nil {
		return nil, err
	}
	evals, err := st.Evals(nil)
	if err != nil {
		return nil, err
	}
	info.Jobs, info.Nodes, info.Allocs, info.Evals = len(jobs), len(nodes), len(allocs), len(evals)
	return info, nil
}

// InspectSnapshot reads a snapshot archive (as operator snapshot save
// writes it), checks it and describes it. It changes nothing.
func InspectSnapshot(r io.Reader) (*structs.SnapshotInfo, error) {
	sf, err := extractSnapshot(r)
	if err != nil {
		return nil, err
	}
	defer sf.close()
	return sf.info, nil
}
