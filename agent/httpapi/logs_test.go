package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drover-project/drover/structs"
)

const logContent = "line one\nline two\nline three\n"

// logFixture seeds a running allocation whose task "server" logs to a file
// holding content (no file when content is nil).
func logFixture(t *testing.T, h *harness, content *string) (*structs.Allocation, string) {
	t.Helper()
	_, _, allocs := h.seedJob(t)
	path := filepath.Join(t.TempDir(), "server.stdout.0")
	if content != nil {
		must(t, os.WriteFile(path, []byte(*content), 0o600))
	}
	h.client.setLog(allocs[0].ID, "server", "stdout", path)
	return allocs[0], path
}

func appendFile(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600)
	must(t, err)
	defer f.Close()
	_, err = f.WriteString(s)
	must(t, err)
}

func decodeFrames(t *testing.T, body []byte) []streamFrame {
	t.Helper()
	var out []streamFrame
	dec := json.NewDecoder(strings.NewReader(string(body)))
	for {
		var f streamFrame
		if err := dec.Decode(&f); err == io.EOF {
			return out
		} else if err != nil {
			t.Fatalf("decoding frames %q: %v", body, err)
		}
		out = append(out, f)
	}
}

func TestLogs_Read(t *testing.T) {
	h := newHarness(t)
	content := logContent
	alloc, _ := logFixture(t, h, &content)
	base := "/v1/client/fs/logs/" + alloc.ID + "?task=server&type=stdout"
	cases := []struct {
		name, query, want string
	}{
		{"whole", "", logContent},
		{"from offset", "&offset=5", logContent[5:]},
		{"offset past end", "&offset=500", ""},
		{"tail", "&origin=end&offset=11", logContent[len(logContent)-11:]},
		{"tail longer than file", "&origin=end&offset=5000", logContent},
		{"explicit start", "&origin=start&offset=0&follow=false", logContent},
	}
	for _, tc := range cases {
		t.Run(tc.name+"/plain", func(t *testing.T) {
			resp, body := h.do(t, http.MethodGet, base+tc.query+"&plain=true", nil)
			if resp.StatusCode != 200 || string(body) != tc.want {
				t.Fatalf("%d %q, want %q", resp.StatusCode, body, tc.want)
			}
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
				t.Fatalf("content type %q", resp.Header.Get("Content-Type"))
			}
		})
		t.Run(tc.name+"/framed", func(t *testing.T) {
			resp, body := h.do(t, http.MethodGet, base+tc.query, nil)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
				t.Fatalf("%d %v", resp.StatusCode, resp.Header)
			}
			var got strings.Builder
			frames := decodeFrames(t, body)
			for _, f := range frames {
				got.Write(f.Data)
				if f.File != "alloc/logs/server.stdout.0" {
					t.Fatalf("frame file %q", f.File)
				}
			}
			if got.String() != tc.want {
				t.Fatalf("data %q, want %q", got.String(), tc.want)
			}
			if len(frames) > 0 && frames[len(frames)-1].Offset != int64(len(logContent)) {
				t.Fatalf("last frame offset %d, want end of file %d", frames[len(frames)-1].Offset, len(logContent))
			}
		})
	}
	_, body := h.do(t, http.MethodGet, base, nil)
	requireKeys(t, body, "Offset", "Data", "File")
}

func TestLogs_Errors(t *testing.T) {
	h := newHarness(t)
	content := logContent
	alloc, _ := logFixture(t, h, &content)
	noClient := newHarness(t, func(c *Config) { c.Client = nil })
	p := "/v1/client/fs/logs/" + alloc.ID
	cases := []struct {
		name string
		h    *harness
		path string
		code int
	}{
		{"unknown alloc", h, "/v1/client/fs/logs/nope?task=server&type=stdout", 404},
		{"unknown task", h, p + "?task=other&type=stdout", 404},
		{"no task", h, p + "?type=stdout", 400},
		{"bad type", h, p + "?task=server&type=stdin", 400},
		{"bad origin", h, p + "?task=server&type=stdout&origin=middle", 400},
		{"bad offset", h, p + "?task=server&type=stdout&offset=-1", 400},
		{"bad follow", h, p + "?task=server&type=stdout&follow=often", 400},
		{"no client", noClient, p + "?task=server&type=stdout", 404},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := tc.h.do(t, http.MethodGet, tc.path, nil)
			if resp.StatusCode != tc.code {
				t.Fatalf("%d %s, want %d", resp.StatusCode, body, tc.code)
			}
		})
	}
}

func TestLogs_MissingFileIsEmpty(t *testing.T) {
	h := newHarness(t)
	alloc, _ := logFixture(t, h, nil)
	resp, body := h.do(t, http.MethodGet, "/v1/client/fs/logs/"+alloc.ID+"?task=server&type=stdout&plain=true", nil)
	if resp.StatusCode != 200 || len(body) != 0 {
		t.Fatalf("%d %q", resp.StatusCode, body)
	}
}

// frameReader decodes a streaming response's frames on a goroutine. The
// channel closes when the stream ends; the goroutine stops with the test.
func frameReader(t *testing.T, body io.Reader) <-chan streamFrame {
	ch := make(chan streamFrame)
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	go func() {
		defer close(ch)
		dec := json.NewDecoder(body)
		for {
			var f streamFrame
			if dec.Decode(&f) != nil {
				return // EOF, or the body was closed by the test
			}
			select {
			case ch <- f:
			case <-stop:
				return
			}
		}
	}()
	return ch
}

// nextFrame returns the next frame; false when the stream ended.
func nextFrame(t *testing.T, ch <-chan streamFrame) (streamFrame, bool) {
	t.Helper()
	select {
	case f, ok := <-ch:
		return f, ok
	case <-time.After(5 * time.Second):
		t.Fatal("no frame within 5s")
		return streamFrame{}, false
	}
}

func startStream(t *testing.T, h *harness, ctx context.Context, path string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.http.URL+path, nil)
	must(t, err)
	resp, err := h.http.Client().Do(req)
	must(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	return resp
}

func TestLogs_FollowUntilTerminal(t *testing.T) {
	h := newHarness(t)
	content := logContent
	alloc, path := logFixture(t, h, &content)
	resp := startStream(t, h, context.Background(), "/v1/client/fs/logs/"+alloc.ID+"?task=server&type=stdout&follow=true")
	frames := frameReader(t, resp.Body)

	var got strings.Builder
	read := func(want string) {
		t.Helper()
		for got.Len() < len(want) {
			f, ok := nextFrame(t, frames)
			if !ok {
				t.Fatalf("stream ended early with %q", got.String())
			}
			got.Write(f.Data)
		}
		if got.String() != want {
			t.Fatalf("streamed %q, want %q", got.String(), want)
		}
	}
	read(logContent)
	appendFile(t, path, "appended\n")
	read(logContent + "appended\n")

	// Bytes written just before the allocation ends are still sent, then
	// the stream ends on its own.
	appendFile(t, path, "last words\n")
	u := alloc.Copy()
	u.ClientStatus = structs.AllocClientStatusComplete
	must(t, h.srv.store.UpdateAllocsFromClient(h.srv.nextIndex(), []*structs.Allocation{u}, 1, nil))
	for {
		f, ok := nextFrame(t, frames)
		if !ok {
			break
		}
		got.Write(f.Data)
	}
	if want := logContent + "appended\nlast words\n"; got.String() != want {
		t.Fatalf("streamed %q, want %q", got.String(), want)
	}
}

func TestLogs_FollowPlainWaitsForFile(t *testing.T) {
	h := newHarness(t)
	alloc, path := logFixture(t, h, nil)
	resp := startStream(t, h, context.Background(), "/v1/client/fs/logs/"+alloc.ID+"?task=server&type=stdout&follow=true&plain=true")
	time.Sleep(50 * time.Millisecond)
	appendFile(t, path, "hello\n")
	buf := make([]byte, 6)
	if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != "hello\n" {
		t.Fatalf("read %q: %v", buf, err)
	}
}

func TestLogs_TruncationAndHeartbeat(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.LogHeartbeat = 30 * time.Millisecond })
	content := logContent
	alloc, path := logFixture(t, h, &content)
	resp := startStream(t, h, context.Background(), "/v1/client/fs/logs/"+alloc.ID+"?task=server&type=stdout&follow=true")
	frames := frameReader(t, resp.Body)
	if f, _ := nextFrame(t, frames); string(f.Data) != logContent {
		t.Fatalf("first frame %+v", f)
	}
	if f, _ := nextFrame(t, frames); f.Offset != 0 || f.Data != nil || f.File != "" || f.FileEvent != "" {
		t.Fatalf("want a heartbeat on an idle stream, got %+v", f)
	}
	must(t, os.WriteFile(path, []byte("new\n"), 0o600)) // truncates
	var sawEvent bool
	for {
		f, ok := nextFrame(t, frames)
		if !ok {
			t.Fatal("stream ended")
		}
		if f.FileEvent == "file truncated" {
			sawEvent = true
		}
		if len(f.Data) > 0 {
			if !sawEvent || string(f.Data) != "new\n" || f.Offset != 4 {
				t.Fatalf("after truncation: event %v frame %+v", sawEvent, f)
			}
			return
		}
	}
}

func TestLogs_ClientDisconnectEndsStream(t *testing.T) {
	h := newHarness(t)
	content := logContent
	alloc, _ := logFixture(t, h, &content)
	ctx, cancel := context.WithCancel(context.Background())
	resp := startStream(t, h, ctx, "/v1/client/fs/logs/"+alloc.ID+"?task=server&type=stdout&follow=true&plain=true")
	buf := make([]byte, len(logContent))
	if _, err := io.ReadFull(resp.Body, buf); err != nil {
		t.Fatal(err)
	}
	cancel()
	// Close waits for every handler to return: it hangs if the stream
	// outlives its client.
	closed := make(chan struct{})
	go func() { h.http.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("log stream still running after the client went away")
	}
}
