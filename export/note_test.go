package export

import (
	"strings"
	"testing"
)

// hostileNote is a project note meant to break naive writers: markup of
// HTML, Markdown and XML, a formula, an entity, and non-ASCII.
const hostileNote = `<script>alert("x")</script> *not bold* | # not a heading ]]> fish &amp; chips =SUM(A1) café`

// TestNoteUnderTheTitle: synth.yaml's note is printed, as plain text,
// under the title of synthesis.md, report.html, supplement.docx's title
// page and synthesis.xlsx's Summary sheet; without a note there is none.
func TestNoteUnderTheTitle(t *testing.T) {
	r := sampleResult()
	r.Project.Note = hostileNote

	md := string(render(t, "md", r)["synthesis.md"])
	head, _, _ := strings.Cut(md, summaryLine(r))
	if want := "\n\n" + mdBlock(hostileNote) + "\n\n"; !strings.HasSuffix(head, want) || !strings.HasPrefix(head, "# ") {
		t.Errorf("synthesis.md does not open with the title, then the note %q:\n%s", want, head)
	}
	if !strings.Contains(head, `&lt;script&gt;`) || !strings.Contains(head, `\*not bold\*`) || !strings.Contains(head, `\|`) {
		t.Errorf("synthesis.md's note is not escaped: %s", head)
	}

	page := string(renderHTML(t, r))
	header, _, _ := strings.Cut(page, "</header>")
	if want := `<p class="project-note">` + htmlText(hostileNote) + `</p>`; !strings.Contains(header, want) {
		t.Errorf("report.html's header does not hold %s:\n%s", want, header)
	}
	if strings.Count(page, htmlText(hostileNote)) != 1 {
		t.Errorf("report.html prints the note %d times, want once (in the header)", strings.Count(page, htmlText(hostileNote)))
	}

	body := renderDOCX(t, r).parse(t, "word/document.xml").child("body")
	paras := body.Nodes
	if len(paras) < 2 || paraStyle(&paras[0]) != "Title" || paraStyle(&paras[1]) != "TitleNote" || paras[1].text() != hostileNote {
		t.Errorf("supplement.docx's title page does not print the note under the title")
	}

	f := openXLSX(t, render(t, "xlsx", r)["synthesis.xlsx"])
	ref := findCell(t, f, "Summary", "Note")
	next := strings.Replace(ref, "A", "B", 1)
	if v, _ := f.GetCellValue("Summary", next); v != hostileNote {
		t.Errorf("Summary!%s = %q, want the note", next, v)
	}

	// No note, no trace of one.
	r = sampleResult()
	if md := string(render(t, "md", r)["synthesis.md"]); strings.Contains(md, "\n\n\n") {
		t.Errorf("synthesis.md without a note has an empty paragraph")
	}
	if strings.Contains(string(renderHTML(t, r)), `<p class="project-note">`) {
		t.Errorf("report.html without a note prints one")
	}
	for _, row := range Tables(r)[0].Rows {
		if row[0] == noteItem {
			t.Errorf("the summary without a note has a Note row")
		}
	}
}
