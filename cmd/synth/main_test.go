package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"synth": main,
	})
}

// TestScripts runs the user stories in testdata/script/*.txtar. Set
// SYNTH_UPDATE=1 to rewrite the expected output in the scripts.
func TestScripts(t *testing.T) {
	corpus, _ := filepath.Abs(filepath.Join("..", "..", "..", "shared", "corpus"))
	field, _ := filepath.Abs(filepath.Join("..", "..", "..", "shared", "field-cases"))
	testscript.Run(t, testscript.Params{
		Dir:           filepath.Join("testdata", "script"),
		UpdateScripts: os.Getenv("SYNTH_UPDATE") == "1",
		Setup: func(env *testscript.Env) error {
			env.Setenv("CORPUS", corpus)
			env.Setenv("FIELD", field)
			if _, err := os.Stat(corpus); err == nil {
				env.Setenv("HAVE_CORPUS", "1")
			}
			return nil
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "corpus":
				_, err := os.Stat(corpus)
				return err == nil, nil
			case "fieldcases":
				_, err := os.Stat(field)
				return err == nil, nil
			case "root": // file permissions do not hold root back
				return os.Geteuid() == 0, nil
			}
			return false, nil
		},
	})
}
