package main

import (
	"io/fs"
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
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// damage DIR overwrites every file under DIR with 7 bytes of
			// garbage, and fails when there is none.
			"damage": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 1 {
					ts.Fatalf("usage: damage DIR")
				}
				n := 0
				err := filepath.WalkDir(ts.MkAbs(args[0]), func(path string, d fs.DirEntry, err error) error {
					if err != nil || d.IsDir() {
						return err
					}
					n++
					return os.WriteFile(path, []byte("garbage"), 0o644)
				})
				ts.Check(err)
				if n == 0 {
					ts.Fatalf("no file under %s", args[0])
				}
			},
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
