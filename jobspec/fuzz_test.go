package jobspec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics and that it returns exactly one
// of a job or an error, with the error naming the file.
func FuzzParse(f *testing.F) {
	for _, pattern := range []string{"testdata/*.hcl", "testdata/bad/*.hcl"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			src, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src)
		}
	}
	f.Add([]byte(Example))
	f.Fuzz(func(t *testing.T, src []byte) {
		job, err := Parse("fuzz.hcl", src)
		switch {
		case err != nil && job != nil:
			t.Fatalf("got both a job and an error: %v", err)
		case err == nil && job == nil:
			t.Fatal("got neither a job nor an error")
		case err != nil && !strings.Contains(err.Error(), "fuzz.hcl:"):
			t.Fatalf("error without a position: %q", err)
		case err == nil && job.Name == "":
			// Name defaults to the ID, so an empty name means an empty label.
			if job.ID != "" {
				t.Fatalf("job %q parsed without a name", job.ID)
			}
		}
	})
}
