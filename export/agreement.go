package export

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/synth-qda/synth/synthesis"
)

// AgreementSummary is what every agreement output says before its tables:
// the unit of analysis, the coders, what was counted and left out, and the
// overall figures. Plain text; renderers escape it.
func AgreementSummary(a *synthesis.Agreement) []string {
	o := a.Overall
	lines := []string{
		"Unit of analysis: " + synthesis.AgreementUnit + ".",
		"Coders: " + strings.Join(a.Coders, ", ") + ". " + count(o.Extracts, "extract", "extracts") +
			" coded by two or more coders × " + count(len(a.Codes), "code", "codes") + " = " + count(o.Units, "unit", "units") + ".",
	}
	var out []string
	if a.OneCoder > 0 {
		out = append(out, count(a.OneCoder, "extract", "extracts")+" coded by one coder only")
	}
	if a.NoCoder > 0 {
		out = append(out, count(a.NoCoder, "extract", "extracts")+" whose rows name no coder")
	}
	if a.Unattributed > 0 {
		out = append(out, count(a.Unattributed, "coding", "codings")+" from rows with a blank coder")
	}
	if len(out) > 0 {
		lines = append(lines, "Left out: "+strings.Join(out, "; ")+".")
	}
	lines = append(lines, "Over all units: Krippendorff's α (nominal) "+coefficientText(o.Alpha)+
		", "+kappaName(a)+" "+coefficientText(o.Kappa)+", agreement "+share(o.Agreement)+".")
	return lines
}

// AgreementNote says how to read the tables' coefficients.
func AgreementNote(a *synthesis.Agreement) string {
	k := "κ is Cohen's κ (Cohen 1960)"
	if len(a.Coders) > 2 {
		k = "κ is the mean of the pairwise Cohen's κ that are defined (Light 1971); counts and agreement pool the pairs of coders who coded the same extracts (Only A is the earlier coder of each pair)"
	}
	return k + "; α is Krippendorff's α for nominal data over all coders (Krippendorff 2011). n/a: undefined, because every coder gave the same value to every unit (the code applied to all units or to none)."
}

func kappaName(a *synthesis.Agreement) string {
	if len(a.Coders) > 2 {
		return "mean pairwise Cohen's κ"
	}
	return "Cohen's κ"
}

// AgreementTables are the tables of the terminal and Markdown outputs:
// "codes" (one row per code, then all codes), "pairs" (with three or more
// coders: each code for each pair of coders) and "studies".
func AgreementTables(a *synthesis.Agreement) []Table {
	onlyA, onlyB := "Only A", "Only B"
	if len(a.Coders) == 2 {
		onlyA, onlyB = "Only "+a.Coders[0], "Only "+a.Coders[1]
	}
	codes := Table{Name: "codes", Title: "Agreement by code",
		Header:  []string{"Code", "Units", "Both", onlyA, onlyB, "Neither", "Agreement", "κ", "α"},
		Numeric: []bool{false, true, true, true, true, true, false, false, false}}
	row := func(name string, r synthesis.Reliability) []string {
		return []string{name, strconv.Itoa(r.Units), strconv.Itoa(r.Both), strconv.Itoa(r.OnlyA), strconv.Itoa(r.OnlyB),
			strconv.Itoa(r.Neither), share(r.Agreement), coefficientText(r.Kappa), coefficientText(r.Alpha)}
	}
	for _, c := range a.Codes {
		codes.Rows = append(codes.Rows, row(c.Code, c.Reliability))
	}
	codes.Rows = append(codes.Rows, row("All codes", a.Overall))
	tables := []Table{codes}

	if len(a.Coders) > 2 {
		pairs := Table{Name: "pairs", Title: "Agreement by code and pair of coders",
			Header:  []string{"Code", "A", "B", "Units", "Both", "Only A", "Only B", "Neither", "Agreement", "κ"},
			Numeric: []bool{false, false, false, true, true, true, true, true, false, false}}
		add := func(name string, r synthesis.Reliability) {
			for _, p := range r.Pairs {
				pairs.Rows = append(pairs.Rows, []string{name, p.A, p.B, strconv.Itoa(p.Units), strconv.Itoa(p.Both),
					strconv.Itoa(p.OnlyA), strconv.Itoa(p.OnlyB), strconv.Itoa(p.Neither), share(p.Agreement), coefficientText(p.Kappa)})
			}
		}
		for _, c := range a.Codes {
			add(c.Code, c.Reliability)
		}
		add("All codes", a.Overall)
		tables = append(tables, pairs)
	}

	studies := Table{Name: "studies", Title: "Agreement by study",
		Header:  []string{"Study", "Extracts", "Units", "Agreement", "κ", "α"},
		Numeric: []bool{false, true, true, false, false, false}}
	for _, s := range a.Studies {
		studies.Rows = append(studies.Rows, []string{s.Study.Label, strconv.Itoa(s.Extracts), strconv.Itoa(s.Units),
			share(s.Agreement), coefficientText(s.Kappa), coefficientText(s.Alpha)})
	}
	return append(tables, studies)
}

// coefficientText shows a coefficient to three decimals, "n/a" when undefined.
func coefficientText(c synthesis.Coefficient) string {
	if !c.Defined() {
		return "n/a"
	}
	v := math.Round(c.Value*1000) / 1000
	if v == 0 {
		v = 0 // no "-0.000"
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}

// share shows a share from 0 to 1 as a percentage, "91.7%".
func share(f float64) string { return percent(f) + "%" }

// AgreementMarkdown writes the agreement as Markdown: a heading, the
// summary, and the tables, escaped as Markdown escapes every cell.
func AgreementMarkdown(w io.Writer, a *synthesis.Agreement) error {
	b := bufio.NewWriter(w)
	b.WriteString("# Inter-coder agreement\n\n")
	for _, l := range AgreementSummary(a) {
		b.WriteString(mdBlock(l) + "\n\n")
	}
	for _, t := range AgreementTables(a) {
		b.WriteString("## " + mdHeading(t.Title) + "\n\n")
		mdTable(b, t)
		b.WriteString("\n")
	}
	b.WriteString(mdBlock(AgreementNote(a)) + "\n")
	return b.Flush()
}

// AgreementCSV writes the agreement as one long CSV table (RFC 4180, as CSV
// writes; the code, study and coder fields neutralised as CSV neutralises
// formulas, numbers never), one record per scope and pair of coders:
//
//	unit, scope (all | code | study), code, study, coder_a, coder_b,
//	extracts, units, both, only_a, only_b, neither, agreement, kappa, alpha, undefined
//
// Each scope (all units, each code in code order, each study in study
// order) has one record for all coders, with α; with three or more coders
// (coder_a and coder_b blank) it is followed by one record per pair of
// coders, without α. With two coders the scope's record names them. The
// coefficients are written in full (shortest round-trip form), agreement as
// a share from 0 to 1; an undefined one is blank, and "undefined" says why.
func AgreementCSV(w io.Writer, a *synthesis.Agreement) error {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	record := func(cells ...string) {
		for i := 2; i <= 5; i++ { // code, study, coder_a, coder_b: text the reviewer wrote
			cells[i] = neutralise(cells[i])
		}
		cw.Write(cells)
	}
	record("unit", "scope", "code", "study", "coder_a", "coder_b", "extracts", "units",
		"both", "only_a", "only_b", "neither", "agreement", "kappa", "alpha", "undefined")
	unit := "(extract, code)"
	scope := func(kind, code, study string, r synthesis.Reliability) {
		ca, cb := "", ""
		if len(a.Coders) == 2 {
			ca, cb = a.Coders[0], a.Coders[1]
		}
		record(unit, kind, code, study, ca, cb, strconv.Itoa(r.Extracts), strconv.Itoa(r.Units),
			strconv.Itoa(r.Both), strconv.Itoa(r.OnlyA), strconv.Itoa(r.OnlyB), strconv.Itoa(r.Neither),
			fullFloat(r.Agreement), coefficientFull(r.Kappa), coefficientFull(r.Alpha), undefinedWhy(r.Kappa, r.Alpha))
		if len(a.Coders) == 2 {
			return
		}
		for _, p := range r.Pairs {
			record(unit, kind, code, study, p.A, p.B, "", strconv.Itoa(p.Units),
				strconv.Itoa(p.Both), strconv.Itoa(p.OnlyA), strconv.Itoa(p.OnlyB), strconv.Itoa(p.Neither),
				fullFloat(p.Agreement), coefficientFull(p.Kappa), "", undefinedWhy(p.Kappa, synthesis.Coefficient{}))
		}
	}
	scope("all", "", "", a.Overall)
	for _, c := range a.Codes {
		scope("code", c.Code, "", c.Reliability)
	}
	for _, s := range a.Studies {
		scope("study", "", s.Study.ID, s.Reliability)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

func fullFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func coefficientFull(c synthesis.Coefficient) string {
	if !c.Defined() {
		return ""
	}
	return fullFloat(c.Value)
}

// undefinedWhy says why κ or α has no value, "" when both have one.
func undefinedWhy(kappa, alpha synthesis.Coefficient) string {
	var why []string
	if !kappa.Defined() {
		why = append(why, "κ: "+kappa.Undefined)
	}
	if !alpha.Defined() {
		why = append(why, "α: "+alpha.Undefined)
	}
	return strings.Join(why, "; ")
}

// AgreementJSON writes the agreement as JSON (DESIGN §3.2), indented as
// synthesis.json is, keys in this fixed order:
//
//	unit, coders, codes_compared,
//	left_out {one_coder, no_coder, unattributed_codings},
//	extracts, units, both, only_a, only_b, neither, agreement,
//	kappa, kappa_undefined?, alpha, alpha_undefined?, pairs[],
//	codes[]   {name, in_codebook, extracts, units, … as above …, pairs[]},
//	studies[] {id, label, extracts, units, … as above …, pairs[]}
//	pairs[]   {coder_a, coder_b, units, both, only_a, only_b, neither,
//	           agreement, kappa, kappa_undefined?}
//
// agreement is a share from 0 to 1; kappa and alpha are numbers, or null
// with *_undefined saying why (the keys marked ? appear only then). Numbers
// are written in the shortest form that reads back to the same float64.
func AgreementJSON(w io.Writer, a *synthesis.Agreement) error {
	j := &jsonWriter{w: bufio.NewWriter(w)}
	j.beginObject()
	j.key("unit")
	j.str(synthesis.AgreementUnit)
	j.key("coders")
	j.strs(a.Coders)
	j.key("codes_compared")
	j.int(len(a.Codes))
	j.key("left_out")
	j.beginObject()
	j.key("one_coder")
	j.int(a.OneCoder)
	j.key("no_coder")
	j.int(a.NoCoder)
	j.key("unattributed_codings")
	j.int(a.Unattributed)
	j.endObject()
	jsonReliability(j, a.Overall)
	jsonScopes(j, "codes", len(a.Codes), func(i int) synthesis.Reliability {
		c := a.Codes[i]
		j.key("name")
		j.str(c.Code)
		j.key("in_codebook")
		j.bool(c.InCodebook)
		return c.Reliability
	})
	jsonScopes(j, "studies", len(a.Studies), func(i int) synthesis.Reliability {
		s := a.Studies[i]
		j.key("id")
		j.str(s.Study.ID)
		j.key("label")
		j.str(s.Study.Label)
		return s.Reliability
	})
	j.endObject()
	j.raw("\n")
	return j.w.Flush()
}

// jsonScopes writes an array of n objects: head writes an object's own
// members and returns the figures that follow them.
func jsonScopes(j *jsonWriter, name string, n int, head func(i int) synthesis.Reliability) {
	j.key(name)
	j.beginArray()
	for i := range n {
		j.item()
		j.beginObject()
		jsonReliability(j, head(i))
		j.endObject()
	}
	j.endArray()
}

func jsonReliability(j *jsonWriter, r synthesis.Reliability) {
	j.key("extracts")
	j.int(r.Extracts)
	j.key("units")
	j.int(r.Units)
	jsonTable(j, r.Both, r.OnlyA, r.OnlyB, r.Neither, r.Agreement)
	jsonCoefficient(j, "kappa", r.Kappa)
	jsonCoefficient(j, "alpha", r.Alpha)
	j.key("pairs")
	j.beginArray()
	for _, p := range r.Pairs {
		j.item()
		j.beginObject()
		j.key("coder_a")
		j.str(p.A)
		j.key("coder_b")
		j.str(p.B)
		j.key("units")
		j.int(p.Units)
		jsonTable(j, p.Both, p.OnlyA, p.OnlyB, p.Neither, p.Agreement)
		jsonCoefficient(j, "kappa", p.Kappa)
		j.endObject()
	}
	j.endArray()
}

func jsonTable(j *jsonWriter, both, onlyA, onlyB, neither int, agreement float64) {
	j.key("both")
	j.int(both)
	j.key("only_a")
	j.int(onlyA)
	j.key("only_b")
	j.int(onlyB)
	j.key("neither")
	j.int(neither)
	j.key("agreement")
	j.float(agreement)
}

func jsonCoefficient(j *jsonWriter, name string, c synthesis.Coefficient) {
	j.key(name)
	if !c.Defined() {
		j.raw("null")
		j.key(name + "_undefined")
		j.str(c.Undefined)
		return
	}
	j.float(c.Value)
}
