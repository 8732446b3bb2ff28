package synthesis

// Presets are the coded-segment exports synth knows, one per tool, filled in
// from each tool's documentation or, for the open-source tools, from the code
// that writes the export. docs/coding-tools.md is the reviewer's side of the
// same facts. Header names are matched without regard to case or spacing.
var Presets = []Preset{
	// MAXQDA "Coded Segments" table (the Retrieved Segments / Overview of
	// Coded Segments export to Excel): one row per coding, so a segment with
	// three codes is three rows with the same Document name, Beginning and
	// End; there is no segment ID. Code holds the whole path of the code.
	// MAXQDA 2018–2020 write it Parent\Child (the CodePath here); MAXQDA 24
	// writes "Parent > Child", which needs code_path: '>' in synth.yaml.
	// Beginning and End are paragraph numbers in text documents and
	// hh:mm:ss time stamps in media. Study is the document; where each study
	// is a document group holding several documents, name
	// study: Document group in synth.yaml. The German headers listed are the
	// ones seen in German exports; Anfang/Ende were not seen, so a German
	// export needs segment: in synth.yaml.
	{
		Name: "maxqda",
		Tool: "MAXQDA",
		Checked: "MAXQDA 2018–24 (English), Coded Segments export to Excel (Reports > Export > Coded Segments, or Export in the Retrieved Segments window); " +
			"headers from field case 08 and from public analysis scripts that read 'MAXQDA 24 Coded Segments_*.xlsx' (Document name, Code, Segment, Beginning, End; " +
			"Code written 'A > B > C' in MAXQDA 24); German headers from a 2024 German export (Farbe, Dokumentgruppe, Dokumentname, Code, Segment, Kommentar, Erstellt am); " +
			"https://www.maxqda.com/help-mx20/05-coding/visualizing-coded-segments-in-the-document-browser (code paths Parent\\Child in MAXQDA 2020)",
		Study:    []string{"Document group", "Document name", "Dokumentgruppe", "Dokumentname"},
		Text:     []string{"Segment"},
		Codes:    []string{"Code"},
		Location: []string{"Beginning", "Anfang"},
		Coder:    []string{"Created by", "Modified by", "Erstellt von", "Geändert von"},
		// Beginning and End are paragraph numbers in a text document, so two
		// segments of one paragraph share them; the segment's text tells
		// them apart (the codings of one segment share it).
		Segment:   [][]string{{"Document name", "Dokumentname"}, {"Beginning", "Anfang"}, {"End", "Ende"}, {"Segment"}},
		CodePaths: []string{`\`, ">"},
		Signature: []string{"Document name", "Beginning", "End", "Segment"},
	},

	// ATLAS.ti Quotation Manager export to Excel: one row per quotation
	// (segment) with all its codes in one cell, one code per line; ID is the
	// quotation's document:quotation number ("3:10"), unique in the project,
	// so it is the segment identity. Reference is the position ("12 - 13":
	// paragraphs in text, h:m:s in media). ATLAS.ti has no code paths; code
	// groups are not in the Codes cell. A CSV save from Excel on Windows is
	// ';'-separated Windows-1252, which the reader handles.
	{
		Name: "atlasti",
		Tool: "ATLAS.ti",
		Checked: "ATLAS.ti 8–9 Windows, Quotation Manager > Export to Excel (ID, Quotation Name, Document, Document Groups, Quotation Content, Comment, Codes, Reference, Density, Created, Modified); " +
			"field cases 06, 07, 14 and a public script reading an ATLAS.ti Quotations.xlsx (ID, Document, Document Groups, Reference '62 - 62', codes split on line breaks); " +
			"ID and Reference semantics: https://manuals.atlasti.com/Win/en/manual/Managers/ManagerForQuotations.html. " +
			"A 2025 export described in a public README (possibly translated) heads the text 'Text Content' and adds Start/End columns: not verified",
		Study:     []string{"Document"},
		Text:      []string{"Quotation Content", "Text Content"},
		Codes:     []string{"Codes"},
		ID:        []string{"ID"},
		Location:  []string{"Reference"},
		Signature: []string{"ID", "Document", "Quotation Content|Text Content", "Codes"},
	},

	// NVivo has no documented export that writes one row per coding
	// reference with its text to a spreadsheet. The closest is the
	// "Coding Summary by Code Extract" (Output > Extracts), a delimited text
	// file Excel opens; its column names were not verifiable, so these
	// candidates are NVivo's own terms (Files/Sources, Codes/Nodes, coded
	// text, coding reference, coded by) and the preset has no signature: it
	// is never chosen from a header, only by "preset: nvivo", and columns:
	// should name what the extract really has. NVivo writes hierarchical
	// names with backslashes (Codes\Parent\Child). The reliable route from
	// NVivo is its REFI-QDA export and synth import qdpx.
	{
		Name: "nvivo",
		Tool: "NVivo",
		Checked: "NVivo 9–14 (Windows): reports and extracts (https://help-nv9-en.qsrinternational.com/procedures/understand_predefined_reports_and_extracts.htm), " +
			"Coding Summary report options incl. coded text and character range (http://help-nv8-en.qsrinternational.com/Coding_Summary.htm); " +
			"Matrix Coding Query export holds counts only (R package novelqualcodes, import_coding_matrices). Column names NOT verified",
		Study:     []string{"File", "Source", "File Name", "Source Name"},
		Text:      []string{"Coded Text", "Text"},
		Codes:     []string{"Code", "Node", "Hierarchical Name"},
		Location:  []string{"Character Range", "Reference"},
		Coder:     []string{"Coded By", "Coded By Initials", "User"},
		CodePaths: []string{`\`},
	},

	// QualCoder coding report (Reports > Coding reports, called Code
	// retrieval under Analysis after 3.8), exported as xlsx or csv: one row
	// per coding. Id is "ctid:N" (text), "imid:N" or "avid:N": one per
	// coding, not per segment, so it is not mapped; a segment is (File,
	// Coded). The first header is "File", or "Case" followed by "Filename"
	// when the report was run on cases. Codename is the code's own name; its
	// categories follow in columns all headed "Category" (nearest first), so
	// no code path. Coded is "image" or "a/v" for non-text codings. The csv
	// is UTF-8 with a BOM, every field quoted. QualCoder 3.3–3.5 wrote
	// "File/case" and no Coded_Memo; their csv was a different layout (one
	// column per code) that this preset cannot read. The "Codes by text
	// segments" report (3.6+) is one row per segment (caseid, case name,
	// fileid, file name, pos0, pos1, text) then one 0/1 column per code: read
	// it with code_columns: {first: $H}.
	{
		Name: "qualcoder",
		Tool: "QualCoder",
		Checked: "QualCoder 3.3–3.8.2 and master c3204641 (2026-08): ccbogel/QualCoder src/qualcoder/report_codes.py export_xlsx_file/export_csv_file " +
			"(tag 3.8.2 = 1dc23efe; 3.6 = 7f9c3ab5 added Coded_Memo; 3.5 = 0d43b4fb) and src/qualcoder/report_codes_by_segments.py fill_table/export_xlsx_file; " +
			"menus from src/qualcoder/GUI/ui_main.py",
		Study:    []string{"File", "Case", "File/case", "file name"},
		Text:     []string{"Coded", "text"},
		Codes:    []string{"Codename"},
		Location: []string{"pos0"},
		Coder:    []string{"Coder"},
		// Id is one per coding, so the segment is the file and its text,
		// even where synth.yaml maps id.
		Segment:   [][]string{{"File", "Case", "File/case", "file name"}, {"Coded", "text"}},
		Signature: []string{"Coder", "Coded", "Codename"},
		// report_codes.py export_xlsx_file/export_csv_file: Id "imid:N"
		// with Coded "image", "avid:N" with Coded "a/v".
		NonText: struct {
			Column   []string
			Prefixes []string
		}{Column: []string{"Id"}, Prefixes: []string{"imid:", "avid:"}},
	},

	// Taguette highlights export (Highlights view, "See all highlights" or a
	// tag's highlights, then "Export this view" > Excel or CSV): one row per
	// (highlight, tag). id is the highlight's id, repeated on each of its
	// tags' rows, so it is the segment identity. content is the highlight as
	// plain text; a highlight with no tag has an empty tag. Tags are flat
	// strings (sub-tags are only a naming convention), and there is no
	// coder or position column. The xlsx sheet is named "highlights"; the
	// file of all highlights is all_tags.csv / all_tags.xlsx.
	{
		Name: "taguette",
		Tool: "Taguette",
		Checked: "Taguette 0.9–1.5.2 (v1.5.2 = bf23807d): remram44/taguette taguette/export.py highlights_csv/highlights_xslx " +
			"(header introduced by b961738, 2019-11), menu in taguette/templates/project.html",
		Study:     []string{"document"},
		Text:      []string{"content"},
		Codes:     []string{"tag"},
		ID:        []string{"id"},
		Signature: []string{"id", "document", "tag", "content"},
	},

	// Dedoose excerpts export (Excerpts workspace, or an excerpt list from
	// a chart or code, exported to Excel; file DedooseChartExcerpts_*.xlsx):
	// one row per excerpt. Codes Applied Combined joins the codes' own names
	// (no parents) with ", ", so a code whose name has a comma ("Cost,
	// money") is rejoined against the codebook. Then, per code, "Code:
	// Parent\Child Applied" (True/False), "... Range" and "... Weight"
	// columns; code_columns: {prefix: "Code: ", suffix: " Applied"} reads
	// those instead, and CodePath lets their Parent\Child names match by the
	// last part. An excerpt belongs to the user who made it, so two coders
	// excerpting the same passage make two rows: the segment is (Media
	// Title, Excerpt Range), keeping each coder's codings. Older exports
	// head the document "Document Title".
	{
		Name: "dedoose",
		Tool: "Dedoose",
		Checked: "Dedoose 9 web app, Excerpts export to Excel: field case 05; public scripts reading real exports " +
			"(DedooseChartExcerpts_2016_*.xlsx with 'Document Title' and 'Code: X Applied'; 'Codes Applied Combined' split on ','); " +
			"R package DedooseR 2.0.0 clean_data, abiraahmi/DedooseR R/clean_data.R 534408f2 (Media Title, Excerpt Creator, Excerpt Copy, Codes Applied Combined, '^code.*applied$'); " +
			"https://helpdesk.dedoose.com/hc/en-us/articles/22456432869389-Excerpts-Workspace-Overview",
		Study:     []string{"Media Title", "Document Title"},
		Text:      []string{"Excerpt Copy"},
		Codes:     []string{"Codes Applied Combined"},
		Location:  []string{"Excerpt Range"},
		Coder:     []string{"Excerpt Creator"},
		Segment:   [][]string{{"Media Title", "Document Title"}, {"Excerpt Range"}},
		CodePaths: []string{`\`},
		Separator: ",",
		Signature: []string{"Media Title", "Excerpt Copy", "Codes Applied Combined"},
	},
}
