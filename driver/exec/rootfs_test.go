package exec

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// Merged /usr: a link whose target is bound is recreated as a link; a link
// whose target is not bound is bound in its place; missing paths are
// skipped.
func TestPlanRootfs(t *testing.T) {
	host := t.TempDir()
	mustMkdir(t, filepath.Join(host, "usr", "bin"))
	mustMkdir(t, filepath.Join(host, "opt", "tools"))
	if err := os.Symlink("usr/bin", filepath.Join(host, "bin")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("opt/tools", filepath.Join(host, "tools")); err != nil {
		t.Fatal(err)
	}
	h := func(p string) string { return filepath.Join(host, p) }
	plan, err := planRootfs(map[string]string{
		h("usr"): h("usr"), h("bin"): h("bin"), h("tools"): "/tools", h("missing"): "/missing",
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.links) != 1 || plan.links[h("bin")] != "usr/bin" {
		t.Fatalf("links = %v", plan.links)
	}
	var got []string
	for _, m := range plan.mounts {
		got = append(got, m.Source+" -> "+m.Destination)
	}
	sort.Strings(got)
	want := []string{h("opt/tools") + " -> /tools", h("usr") + " -> " + h("usr")}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("mounts = %v, want %v", got, want)
	}

	// Preparing twice is fine, and replaces an empty mount-point directory.
	root := t.TempDir()
	mustMkdir(t, filepath.Join(root, host, "bin"))
	for i := 0; i < 2; i++ {
		if err := prepareRootfs(root, plan, os.Getuid(), os.Getgid()); err != nil {
			t.Fatal(err)
		}
	}
	if target, err := os.Readlink(filepath.Join(root, host, "bin")); err != nil || target != "usr/bin" {
		t.Fatalf("link = %q, %v", target, err)
	}
}

func mustMkdir(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
}
