package logrotate

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// files returns the contents of dir's log files by index.
func files(t *testing.T, dir string) map[int]string {
	t.Helper()
	idxs, err := indexes(dir, "t.stdout")
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]string{}
	for _, i := range idxs {
		b, err := os.ReadFile(Path(dir, "t.stdout", i))
		if err != nil {
			t.Fatal(err)
		}
		out[i] = string(b)
	}
	return out
}

func TestWriterRotation(t *testing.T) {
	cases := []struct {
		name     string
		maxFiles int
		maxBytes int64
		writes   []string
		flush    bool
		want     map[int]string
	}{
		{"fits in one file", 3, 100, []string{"a\n", "b\n"}, false, map[int]string{0: "a\nb\n"}},
		{"rotates on a line boundary", 3, 10, []string{"aaaa\nbbbb\ncc\n"}, false,
			map[int]string{0: "aaaa\nbbbb\n", 1: "cc\n"}},
		{"line split across writes stays whole", 3, 8, []string{"aaaa\nbb", "bb\ncc\n"}, false,
			map[int]string{0: "aaaa\n", 1: "bbbb\ncc\n"}},
		{"line longer than a file is split", 3, 4, []string{"abcdefghij\n"}, false,
			map[int]string{0: "abcd", 1: "efgh", 2: "ij\n"}},
		{"oldest files deleted", 2, 3, []string{"a1\nb2\nc3\nd4\n"}, false,
			map[int]string{2: "c3\n", 3: "d4\n"}},
		{"partial line held until flush", 3, 100, []string{"done\nprompt> "}, true,
			map[int]string{0: "done\nprompt> "}},
		{"partial line held without flush", 3, 100, []string{"done\nprompt> "}, false,
			map[int]string{0: "done\n"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			w, err := NewWriter(Config{Dir: dir, Base: "t.stdout", MaxFiles: tc.maxFiles, MaxBytes: tc.maxBytes})
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tc.writes {
				if n, err := w.Write([]byte(s)); err != nil || n != len(s) {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			if tc.flush {
				if err := w.Flush(); err != nil {
					t.Fatal(err)
				}
			}
			if got := files(t, dir); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("files = %v, want %v", got, tc.want)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestWriterContinuesNewestFile(t *testing.T) {
	dir := t.TempDir()
	for i, s := range map[int]string{3: "old\n", 4: "newer\n"} {
		if err := os.WriteFile(Path(dir, "t.stdout", i), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	w, err := NewWriter(Config{Dir: dir, Base: "t.stdout", MaxFiles: 2, MaxBytes: 12})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("more\nagain\n")); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := map[int]string{4: "newer\nmore\n", 5: "again\n"}
	if got := files(t, dir); !reflect.DeepEqual(got, want) {
		t.Fatalf("files = %v, want %v", got, want)
	}
}

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		cfg  Config
		want string
	}{
		{Config{Base: "b", MaxFiles: 1, MaxBytes: 1}, "dir and base name are required"},
		{Config{Dir: "d", Base: "b", MaxFiles: 0, MaxBytes: 1}, "max files must be at least 1"},
		{Config{Dir: "d", Base: "b", MaxFiles: 1, MaxBytes: 0}, "max file size must be at least 1 byte"},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			if err := tc.cfg.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestCopyFromPipe(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(Config{Dir: dir, Base: "t.stdout", MaxFiles: 5, MaxBytes: 12})
	if err != nil {
		t.Fatal(err)
	}
	r, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- Copy(w, r, 20*time.Millisecond) }()
	if _, err := pw.WriteString("line one\nline two\nprompt> "); err != nil {
		t.Fatal(err)
	}
	// The partial line shows up once the writer has been quiet a while.
	deadline := time.Now().Add(5 * time.Second)
	for files(t, dir)[2] != "prompt> " {
		if time.Now().After(deadline) {
			t.Fatalf("partial line never flushed: %v", files(t, dir))
		}
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := pw.WriteString("yes\n"); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	want := map[int]string{0: "line one\n", 1: "line two\n", 2: "prompt> yes\n"}
	if got := files(t, dir); !reflect.DeepEqual(got, want) {
		t.Fatalf("files = %v, want %v", got, want)
	}
}
