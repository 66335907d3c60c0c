package server

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"strings"
	"testing"

	"github.com/hashicorp/raft"

	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

// testArchive builds an archive of an FSM holding one job.
func testArchive(t *testing.T) ([]byte, []byte) {
	t.Helper()
	f, _ := newTestFSM(t)
	job := mock.Job()
	applyMsg(t, f, 1, structs.JobRegisterRequestType, &structs.JobRegisterRequest{Job: job, Eval: mock.Eval(job)})
	snap, err := f.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	var stateBuf bytes.Buffer
	if err := snap.(*fsmSnapshot).persist(&stateBuf); err != nil {
		t.Fatal(err)
	}
	meta := &raft.SnapshotMeta{Version: 1, ID: "1-1-1", Index: 1, Term: 1, Size: int64(stateBuf.Len())}
	var out bytes.Buffer
	if err := writeSnapshotArchive(&out, meta, bytes.NewReader(stateBuf.Bytes())); err != nil {
		t.Fatal(err)
	}
	return out.Bytes(), stateBuf.Bytes()
}

// rewrite returns archive with each file passed through edit (nil drops
// it) and, when extra is set, one more file named extra at the end.
func rewrite(t *testing.T, archive []byte, edit func(name string, body []byte) []byte, extra string) []byte {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(archive))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var out bytes.Buffer
	gw := gzip.NewWriter(&out)
	tw := tar.NewWriter(gw)
	for {
		hdr, err := tr.Next()
		if err != nil {
			break
		}
		var body bytes.Buffer
		if _, err := body.ReadFrom(tr); err != nil {
			t.Fatal(err)
		}
		b := edit(hdr.Name, body.Bytes())
		if b == nil {
			continue
		}
		hdr.Size = int64(len(b))
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if extra != "" {
		if err := tw.WriteHeader(&tar.Header{Name: extra, Mode: 0o600, Size: 2, Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte("hi")); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestSnapshotArchive_RoundTripAndCorruption(t *testing.T) {
	archive, stateBytes := testArchive(t)
	info, err := InspectSnapshot(bytes.NewReader(archive))
	if err != nil {
		t.Fatal(err)
	}
	if info.Jobs != 1 || info.Evals != 1 || info.ID != "1-1-1" || info.Size != int64(len(stateBytes)) {
		t.Fatalf("inspect: %+v", info)
	}
	for _, tc := range []struct {
		name, want, extra string
		edit              func(name string, body []byte) []byte
	}{
		{"flipped state byte", "state.bin does not match", "", func(n string, b []byte) []byte {
			if n == archiveState {
				b = append([]byte(nil), b...)
				b[len(b)-1] ^= 0xff
			}
			return b
		}},
		{"edited meta", "meta.json does not match", "", func(n string, b []byte) []byte {
			if n == archiveMeta {
				return bytes.Replace(b, []byte(`"1-1-1"`), []byte(`"9-9-9"`), 1)
			}
			return b
		}},
		{"no sums", "lacks SHA256SUMS", "", func(n string, b []byte) []byte {
			if n == archiveSums {
				return nil
			}
			return b
		}},
		{"extra file", "unexpected file", "evil.sh", func(n string, b []byte) []byte { return b }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := rewrite(t, archive, tc.edit, tc.extra)
			_, err := InspectSnapshot(bytes.NewReader(bad))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}
