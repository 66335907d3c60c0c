package allocdir

import (
	"os"
	"path/filepath"
	"testing"
)

func TestBuild(t *testing.T) {
	root := t.TempDir()
	d := New(root, "a1")
	if err := d.Build(); err != nil {
		t.Fatal(err)
	}
	td := d.TaskDir("web")
	if err := td.Build(); err != nil {
		t.Fatal(err)
	}
	// Building again must be harmless.
	if err := d.Build(); err != nil {
		t.Fatal(err)
	}
	if err := td.Build(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path string
		mode os.FileMode
	}{
		{"a1/alloc/logs", 0o755},
		{"a1/alloc/data", 0o777 | os.ModeSticky},
		{"a1/alloc/tmp", 0o777 | os.ModeSticky},
		{"a1/web/local", 0o755},
		{"a1/web/secrets", 0o700},
		{"a1/web/tmp", 0o777 | os.ModeSticky},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			fi, err := os.Stat(filepath.Join(root, tc.path))
			if err != nil {
				t.Fatal(err)
			}
			if !fi.IsDir() || fi.Mode()&(os.ModePerm|os.ModeSticky) != tc.mode {
				t.Fatalf("mode = %v, want dir %v", fi.Mode(), tc.mode)
			}
		})
	}
	if got, want := d.LogPath("web", "stderr"), filepath.Join(root, "a1/alloc/logs/web.stderr.0"); got != want {
		t.Fatalf("LogPath = %s, want %s", got, want)
	}
	if err := d.Destroy(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(d.Dir); !os.IsNotExist(err) {
		t.Fatalf("alloc dir survived Destroy: %v", err)
	}
}
