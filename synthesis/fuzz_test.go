package synthesis

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzBuild feeds arbitrary extracts and studies files through a whole
// build: it must return a result or one error, never panic, and a result
// must be consistent with itself.
func FuzzBuild(f *testing.F) {
	f.Add("ID,Study,Extract,Codes,Type\nE1,S1,text,Loneliness;low mood,participant\nE1,,,Waiting,\n", "ID,Quality\nS1,low\nS2,high\n")
	f.Add("Study;Extract;Codes\nS1;\"multi\nline\";isolation\n;x;\n", "ID\nS1\n")
	f.Add("Study\tExtract\tCodes\nS2\ta\tBeing listened to\nS2\ta\tBeing listened to\n", "Study ID,Quality\nS2,high\n")
	f.Fuzz(func(t *testing.T, extracts, studies string) {
		dir := t.TempDir()
		files := map[string]string{
			"synth.yaml":    "version: 1\nstudies: {file: studies.csv}\nextracts: [{file: extracts.csv, fill_down: [study]}]\nsensitivity: {exclude: {column: Quality, values: [low]}}\n",
			"codebook.yaml": unpinned,
			"extracts.csv":  extracts,
			"studies.csv":   studies,
		}
		for name, body := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		r, err := Build(filepath.Join(dir, "synth.yaml"), Options{})
		if err != nil {
			if n := strings.Count(err.Error(), "\n"); n > 2 {
				t.Errorf("error of %d lines: %q", n+1, err)
			}
			return
		}
		total := 0
		for _, s := range r.Studies {
			total += s.Extracts
		}
		if total != r.Extracts.Len() {
			t.Errorf("studies count %d extracts, result has %d", total, r.Extracts.Len())
		}
		for _, ts := range r.Themes {
			sum := 0
			for _, n := range ts.PerStudy {
				sum += n
			}
			if sum != ts.Extracts.Len() || ts.Participant+ts.Author != ts.Extracts.Len() {
				t.Errorf("theme %s: per-study sum %d, participant+author %d, extracts %d", ts.ID, sum, ts.Participant+ts.Author, ts.Extracts.Len())
			}
			if len(ts.Quotes) > MaxQuotes {
				t.Errorf("theme %s has %d quotes", ts.ID, len(ts.Quotes))
			}
		}
	})
}
