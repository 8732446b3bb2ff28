package synthesis

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// buildBothWays builds a project with its first source of extracts streamed
// (turned into extracts while it is read) and read whole first, as every
// other source is, and fails unless the results, or the errors, are the
// same.
func buildBothWays(t *testing.T, project string) {
	t.Helper()
	r1, err1 := Build(project, Options{})
	streamFirstSource = false
	r2, err2 := Build(project, Options{})
	streamFirstSource = true
	switch {
	case (err1 == nil) != (err2 == nil):
		t.Errorf("%s: streamed: %v; read whole: %v", project, err1, err2)
	case err1 != nil:
		if err1.Error() != err2.Error() {
			t.Errorf("%s: streamed, the errors are\n%v\nread whole, they are\n%v", project, err1, err2)
		}
	case !reflect.DeepEqual(r1, r2):
		t.Errorf("%s: the streamed result differs from the one read whole", project)
	}
}

// TestStreamedAsReadWhole builds every project at hand both ways: the
// worked example, the export fixtures and, when they are here, the shared
// field cases (tools' exports, merged headings, newcomers' mistakes).
func TestStreamedAsReadWhole(t *testing.T) {
	projects := []string{
		filepath.Join("..", "testdata", "social-prescribing", "synth.yaml"),
		filepath.Join("..", "export", "testdata", "fixture", "synth.yaml"),
		filepath.Join("..", "export", "testdata", "minimal", "synth.yaml"),
	}
	if dirs, err := filepath.Glob(filepath.Join("..", "..", "shared", "field-cases", "*", "synth.yaml")); err == nil && len(dirs) > 0 {
		projects = append(projects, dirs...)
	} else {
		t.Log("the shared field cases are not here; the in-repo projects only")
	}
	for _, p := range projects {
		if _, err := os.Stat(p); err != nil {
			t.Fatal(err)
		}
		buildBothWays(t, p)
	}
}
