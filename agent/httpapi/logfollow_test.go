package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-project/drover/driver/logrotate"
	"github.com/drover-project/drover/structs"
)

// TestLogs_FollowAcrossRotation streams a log while the rotator moves it
// on to new files: every line arrives once, in order, and the frames name
// the file they come from.
func TestLogs_FollowAcrossRotation(t *testing.T) {
	h := newHarness(t)
	alloc, path := logFixture(t, h, nil)
	w, err := logrotate.NewWriter(logrotate.Config{Dir: filepath.Dir(path), Base: "server.stdout", MaxFiles: 10, MaxBytes: 16})
	must(t, err)
	defer w.Close()
	write := func(s string) {
		t.Helper()
		_, err := w.Write([]byte(s))
		must(t, err)
	}
	write("line 0\n")
	resp := startStream(t, h, context.Background(), "/v1/client/fs/logs/"+alloc.ID+"?task=server&type=stdout&follow=true")
	frames := frameReader(t, resp.Body)

	var want strings.Builder
	want.WriteString("line 0\n")
	var got strings.Builder
	files := map[string]bool{}
	read := func() {
		t.Helper()
		for got.Len() < want.Len() {
			f, ok := nextFrame(t, frames)
			if !ok {
				t.Fatalf("stream ended early with %q", got.String())
			}
			if len(f.Data) > 0 {
				files[f.File] = true
			}
			got.Write(f.Data)
		}
		if got.String() != want.String() {
			t.Fatalf("streamed %q, want %q", got.String(), want.String())
		}
	}
	read()
	for i := 1; i <= 6; i++ { // two lines per 16-byte file
		line := fmt.Sprintf("line %d\n", i)
		write(line)
		want.WriteString(line)
		read()
	}
	for _, f := range []string{"alloc/logs/server.stdout.0", "alloc/logs/server.stdout.1", "alloc/logs/server.stdout.3"} {
		if !files[f] {
			t.Errorf("no frame from %s; saw %v", f, files)
		}
	}

	u := alloc.Copy()
	u.ClientStatus = structs.AllocClientStatusComplete
	must(t, h.srv.store.UpdateAllocsFromClient(h.srv.nextIndex(), []*structs.Allocation{u}, 1, nil))
	for {
		if _, ok := nextFrame(t, frames); !ok {
			break
		}
	}
}

// TestLogs_ReadContinuesIntoRotatedFiles reads, without following, from a
// file that has since been rotated: the read goes on through the newer
// files.
func TestLogs_ReadContinuesIntoRotatedFiles(t *testing.T) {
	h := newHarness(t)
	alloc, path := logFixture(t, h, nil)
	w, err := logrotate.NewWriter(logrotate.Config{Dir: filepath.Dir(path), Base: "server.stdout", MaxFiles: 10, MaxBytes: 8})
	must(t, err)
	_, err = w.Write([]byte("aaa\nbbb\nccc\nddd\n"))
	must(t, err)
	must(t, w.Close())
	resp, body := h.do(t, http.MethodGet, "/v1/client/fs/logs/"+alloc.ID+"?task=server&type=stdout&plain=true", nil)
	if resp.StatusCode != 200 || string(body) != "aaa\nbbb\nccc\nddd\n" {
		t.Fatalf("%d %q", resp.StatusCode, body)
	}
}
