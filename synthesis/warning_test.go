package synthesis

import (
	"testing"

	"github.com/synth-qda/synth/codebook"
	"github.com/synth-qda/synth/synthesis/sheet"
)

// warningKinds are every kind declared in result.go.
var warningKinds = []WarningKind{
	WarnUnknownCode, WarnUnusedCode, WarnUnthemedCode, WarnUncodedExtract,
	WarnNonContributingStudy, WarnSingleStudyTheme, WarnEmptyTheme,
	WarnCERQualInconsistent, WarnCERQualMissing, WarnDuplicateExtract,
	WarnRaggedRow, WarnDateCell, WarnSeparatorSuspect, WarnIgnoredRow, WarnNonTextCoding,
	WarnSensitivityUnmatched, WarnPRISMAArithmetic, WarnThemeCodeUndefined,
	WarnEncodingFallback, WarnSheetUnreadable, WarnNULBytes, WarnStrayQuote,
}

// TestWarningKinds: the kinds are distinct, and every kind the codebook and
// the readers report is one of them, so a warning that enters a Result
// from another package has a declared kind.
func TestWarningKinds(t *testing.T) {
	seen := map[WarningKind]bool{}
	for _, k := range warningKinds {
		if k == "" || seen[k] {
			t.Errorf("kind %q is empty or listed twice", k)
		}
		seen[k] = true
	}
	for _, k := range []string{
		codebook.WarnThemeCodeUndefined, codebook.WarnCERQualInconsistent,
		sheet.WarnEncodingFallback, sheet.WarnSheetUnreadable, sheet.WarnNULBytes, sheet.WarnStrayQuote,
	} {
		if !seen[WarningKind(k)] {
			t.Errorf("kind %q is not a synthesis.WarningKind", k)
		}
	}
	w := readerWarning(sheet.Warning{Kind: sheet.WarnNULBytes, Message: "/p/e.csv contains NUL bytes", Where: "/p/e.csv:e!B2"}, &Project{Dir: "/p"}, "e.csv")
	if want := (Warning{Kind: WarnNULBytes, Message: "e.csv contains NUL bytes", Where: "e.csv:e!B2"}); w != want {
		t.Errorf("readerWarning = %+v, want %+v", w, want)
	}
}
