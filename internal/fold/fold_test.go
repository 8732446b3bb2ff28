package fold

import "testing"

func TestKey(t *testing.T) {
	tests := []struct{ a, b string }{
		{"Loneliness", "loneliness"},
		{"  Low   mood ", "low mood"},
		{"Low\tmood", "LOW MOOD"},
		{"Caf\u0065\u0301", "café"}, // decomposed é equals composed é
		{"STRASSE", "straße"},       // full case folding
		{"Study\u00a001", "study 01"},
	}
	for _, tt := range tests {
		if Key(tt.a) != Key(tt.b) {
			t.Errorf("Key(%q)=%q, Key(%q)=%q; want equal", tt.a, Key(tt.a), tt.b, Key(tt.b))
		}
	}
	if Key("Loneliness") == Key("Lonely") {
		t.Error("different names must not match")
	}
}

func TestClean(t *testing.T) {
	if got := Clean("  Feeling \n heard "); got != "Feeling heard" {
		t.Errorf("Clean = %q", got)
	}
}

func TestSuggest(t *testing.T) {
	cands := []string{"Loneliness", "Low mood", "Bereavement", "extracts", "codebook"}
	tests := []struct{ in, want string }{
		{"lonliness", "Loneliness"},
		{"extract", "extracts"},
		{"LOW MODE", "Low mood"},
		{"bereavment", "Bereavement"},
		{"zebra", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Suggest(tt.in, cands); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// The ASCII fast path must agree with the full folding.
func TestKeyFastPath(t *testing.T) {
	for _, s := range []string{"Loneliness", "LOW MOOD", "a  b", " a", "a ", "x\ty", "S01", "", "K", "it's ~ [ok]"} {
		if got, want := Key(s), folder.String(Clean(normSlow(s))); got != want {
			t.Errorf("Key(%q) = %q, want %q", s, got, want)
		}
	}
}

func normSlow(s string) string { return s }

func FuzzKey(f *testing.F) {
	f.Add("Low  Mood")
	f.Fuzz(func(t *testing.T, s string) {
		k := Key(s)
		if Key(k) != k {
			t.Errorf("Key not idempotent: %q → %q → %q", s, k, Key(k))
		}
	})
}
