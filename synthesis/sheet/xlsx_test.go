package sheet

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// A style sheet whose cell formats are, by index: 0 General, 1 date (14),
// 2 date-time (22), 3 time (18), 4 elapsed (46), 5 custom yyyy-mm-dd,
// 6 custom [$-409]h:mm AM/PM, 7 custom 0.00 (a number), 8 custom
// #,##0 "days" (a number: the d is quoted), 9 custom mm:ss.
const testStyles = `<styleSheet ` + nsMain + `>
<numFmts count="5">
 <numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/>
 <numFmt numFmtId="165" formatCode="[$-409]h:mm\ AM/PM"/>
 <numFmt numFmtId="166" formatCode="0.00"/>
 <numFmt numFmtId="167" formatCode="#,##0 &quot;days&quot;"/>
 <numFmt numFmtId="168" formatCode="mm:ss"/>
</numFmts>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="10">
 <xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="22"/><xf numFmtId="18"/>
 <xf numFmtId="46"/><xf numFmtId="164"/><xf numFmtId="165"><alignment wrapText="1"/></xf><xf numFmtId="166"/>
 <xf numFmtId="167"/><xf numFmtId="168"/>
</cellXfs>
<dxfs count="1"><dxf><numFmt numFmtId="14" formatCode="0"/></dxf></dxfs>
</styleSheet>`

func TestCellValues(t *testing.T) {
	strs := []string{"plain", "", "  spaced  ", "line\r\nbreak", "a_x000D_\nb", "lit_x005F_x000D_"}
	tests := []struct {
		name string
		cell string // a <c> in row 1, column A
		want string // "" means no cell
	}{
		{"shared string", `<c r="A1" t="s"><v>0</v></c>`, "plain"},
		{"shared index with spaces", `<c r="A1" t="s"><v> 0 </v></c>`, "plain"},
		{"empty shared string", `<c r="A1" t="s"><v>1</v></c>`, ""},
		{"shared string kept as written", `<c r="A1" t="s"><v>2</v></c>`, "  spaced  "},
		{"CRLF in shared string", `<c r="A1" t="s"><v>3</v></c>`, "line\nbreak"},
		{"_x000D_ escape then LF", `<c r="A1" t="s"><v>4</v></c>`, "a\nb"},
		{"escaped escape", `<c r="A1" t="s"><v>5</v></c>`, "lit_x000D_"},
		{"inline string", `<c r="A1" t="inlineStr"><is><t>inline</t></is></c>`, "inline"},
		{"inline rich text", `<c r="A1" t="inlineStr"><is><r><rPr><b/></rPr><t>bo</t></r><r><t xml:space="preserve">ld </t></r></is></c>`, "bold "},
		{"inline phonetic dropped", `<c r="A1" t="inlineStr"><is><t>漢字</t><rPh sb="0" eb="2"><t>カンジ</t></rPh><phoneticPr fontId="1"/></is></c>`, "漢字"},
		{"inline CDATA", `<c r="A1" t="inlineStr"><is><t><![CDATA[<b>&amp;</b>]]></t></is></c>`, "<b>&amp;</b>"},
		{"inline entities", `<c r="A1" t="inlineStr"><is><t>&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos; &#233;&#x263A; &bogus;</t></is></c>`, `<a> & "b" 'c' é☺ &bogus;`},
		{"inline whitespace kept without xml:space", `<c r="A1" t="inlineStr"><is><t>  a b  </t></is></c>`, "  a b  "},
		{"inline lone CR", `<c r="A1" t="inlineStr"><is><t>a&#13;b</t></is></c>`, "a\nb"},
		{"inline surrogate pair escape", `<c r="A1" t="inlineStr"><is><t>_xD83C__xDF63_</t></is></c>`, "🍣"},
		{"inline lone surrogate kept", `<c r="A1" t="inlineStr"><is><t>_xD83C_</t></is></c>`, "_xD83C_"},
		{"inline string in v", `<c r="A1" t="inlineStr"><v>v text</v></c>`, "v text"},
		{"formula string", `<c r="A1" t="str"><f>A2&amp;"x"</f><v>abc_x000D_</v></c>`, "abc\n"},
		{"formula string empty", `<c r="A1" t="str"><f>""</f><v></v></c>`, ""},
		{"formula without v", `<c r="A1"><f>SUM(B1:B3)</f></c>`, ""},
		{"boolean true", `<c r="A1" t="b"><v>1</v></c>`, "TRUE"},
		{"boolean false", `<c r="A1" t="b"><v>0</v></c>`, "FALSE"},
		{"error", `<c r="A1" t="e"><f>1/0</f><v>#DIV/0!</v></c>`, "#DIV/0!"},
		{"error N/A", `<c r="A1" t="e"><v>#N/A</v></c>`, "#N/A"},
		{"ISO date", `<c r="A1" t="d"><v>2021-01-01</v></c>`, "2021-01-01"},
		{"ISO date-time", `<c r="A1" t="d"><v>2021-01-01T10:10:10</v></c>`, "2021-01-01T10:10:10"},
		{"ISO date-time midnight", `<c r="A1" t="d"><v>2021-01-01T00:00:00</v></c>`, "2021-01-01"},
		{"ISO date-time zone and millis", `<c r="A1" t="d"><v>2014-02-14T08:27:48.765Z</v></c>`, "2014-02-14T08:27:49"},
		{"ISO time", `<c r="A1" t="d"><v>10:10:10</v></c>`, "10:10:10"},
		{"ISO nonsense kept", `<c r="A1" t="d"><v>someday</v></c>`, "someday"},
		{"integer", `<c r="A1"><v>42</v></c>`, "42"},
		// General shows at most 11 characters (Microsoft KB 65903): a 13-digit
		// number is in scientific notation in Excel, so here too.
		{"13-digit integer", `<c r="A1" s="0"><v>8595602512225</v></c>`, "8595602512225"},
		{"11-digit integer", `<c r="A1"><v>12345678901</v></c>`, "12345678901"},
		{"12-digit integer", `<c r="A1"><v>123456789012</v></c>`, "123456789012"},
		{"pretty-printed number", "<c r=\"A1\">\n  <v>\n 85956025 \n</v>\n</c>", "85956025"},
		{"integer written as float", `<c r="A1" t="n"><v>1.0</v></c>`, "1"},
		{"17 significant digits", `<c r="A1"><v>4.4000000000000004</v></c>`, "4.4"},
		{"float error as Excel shows it", `<c r="A1"><v>0.30000000000000004</v></c>`, "0.3"},
		{"a third to 11 characters", `<c r="A1"><v>0.33333333333333331</v></c>`, "0.333333333"},
		{"negative, the minus not counted", `<c r="A1"><v>-123.45678901234</v></c>`, "-123.456789"},
		{"small", `<c r="A1"><v>1E-7</v></c>`, "0.0000001"},
		{"smaller", `<c r="A1"><v>1.2E-9</v></c>`, "1.2E-09"},
		{"large", `<c r="A1"><v>1.23456789e+22</v></c>`, "1.23457E+22"},
		{"20 digits", `<c r="A1"><v>12345678901234567890</v></c>`, "1.23457E+19"},
		{"negative zero", `<c r="A1"><v>-0</v></c>`, "0"},
		{"leading zeros", `<c r="A1"><v>007</v></c>`, "7"},
		{"not a number kept", `<c r="A1"><v>1,5</v></c>`, "1,5"},
		{"NaN kept", `<c r="A1"><v>NaN</v></c>`, "NaN"},
		{"huge kept", `<c r="A1"><v>1e999</v></c>`, "1e999"},
		{"unknown type kept", `<c r="A1" t="x"><v>raw</v></c>`, "raw"},
		{"style-only cell", `<c r="A1" s="1"/>`, ""},
		{"empty v", `<c r="A1"><v/></c>`, ""},
		// Dates as Excel en-US shows built-in 14 (m/d/yyyy) and 22.
		{"number in date style", `<c r="A1" s="1"><v>44197</v></c>`, "1/1/2021"},
		{"date-time style", `<c r="A1" s="2"><v>44197.5</v></c>`, "1/1/2021 12:00"},
		{"date style with a time part", `<c r="A1" s="1"><v>44197.25</v></c>`, "1/1/2021"},
		{"time style", `<c r="A1" s="3"><v>0.75</v></c>`, "6:00 PM"},
		{"time style with a day", `<c r="A1" s="3"><v>44197.75</v></c>`, "6:00 PM"},
		{"elapsed time", `<c r="A1" s="4"><v>1.5</v></c>`, "36:00:00"},
		{"custom date", `<c r="A1" s="5"><v>36526</v></c>`, "2000-01-01"},
		{"custom time AM/PM", `<c r="A1" s="6"><v>0.5</v></c>`, "12:00 PM"},
		{"custom number", `<c r="A1" s="7"><v>44197</v></c>`, "44197.00"},
		{"custom quoted d is a number", `<c r="A1" s="8"><v>1234</v></c>`, "1,234 days"},
		{"custom mm:ss", `<c r="A1" s="9"><v>0.000694444444444444</v></c>`, "01:00"},
		{"time rounds to the second", `<c r="A1" s="3"><v>0.99999999</v></c>`, "12:00 AM"},
		{"date rounds into the next day", `<c r="A1" s="2"><v>44197.999999999</v></c>`, "1/2/2021 0:00"},
		{"serial 1", `<c r="A1" s="1"><v>1</v></c>`, "1/1/1900"},
		{"serial 59", `<c r="A1" s="1"><v>59</v></c>`, "2/28/1900"},
		{"serial 60 fictitious", `<c r="A1" s="1"><v>60</v></c>`, "2/29/1900"},
		{"serial 61", `<c r="A1" s="1"><v>61</v></c>`, "3/1/1900"},
		{"serial 0 in date style is day 0 of January", `<c r="A1" s="1"><v>0</v></c>`, "1/0/1900"},
		{"negative serial is a number", `<c r="A1" s="1"><v>-1</v></c>`, "-1"},
		{"serial past 9999", `<c r="A1" s="1"><v>2958466</v></c>`, "2958466"},
		{"last day", `<c r="A1" s="1"><v>2958465</v></c>`, "12/31/9999"},
		{"style out of range", `<c r="A1" s="99"><v>44197</v></c>`, "44197"},
		{"text in date style", `<c r="A1" s="1" t="s"><v>0</v></c>`, "plain"},
		// Shapes the fast path takes, half takes, or leaves alone.
		{"formula then value", `<c r="A1"><f>SUM(A2:A3)</f><v>3</v></c>`, "3"},
		{"shared formula then value", `<c r="A1"><f t="shared" si="0"/><v>3</v></c>`, "3"},
		{"CDATA in a formula", `<c r="A1"><f><![CDATA[IF(A2<2,1,3)]]></f><v>1</v></c>`, "1"},
		{"formula with attributes", `<c r="A1" t="str"><f t="shared" ref="A1:A3" si="0">B1&amp;"&gt;"</f><v>x&gt;</v></c>`, "x>"},
		{"single quotes", `<c r='A1' t='s'><v>0</v></c>`, "plain"},
		{"spaces around =", `<c r = "A1" t = "s"><v>0</v></c>`, "plain"},
		{"spaces in tags", `<c r="A1" ><v >7</v ></c >`, "7"},
		{"> in an attribute", `<c r="A1" x="a>b" t="s"><v>0</v></c>`, "plain"},
		{"many attributes", `<c r="A1" a="1" b="2" c="3" d="4" e="5" f="6" g="7" h="8" t="s"><v>0</v></c>`, "plain"},
		{"value then more", `<c r="A1" t="inlineStr"><v>ignored</v><is><t>is wins</t></is></c>`, "is wins"},
		{"CDATA value", `<c r="A1"><v><![CDATA[5]]></v></c>`, "5"},
		{"comment in cell", `<c r="A1"><!-- x --><v>6</v></c>`, "6"},
		{"empty cell", `<c r="A1"></c>`, ""},
		{"prefixed cell", `<x:c r="A1" xmlns:x="` + "http://schemas.openxmlformats.org/spreadsheetml/2006/main" + `"><x:v>8</x:v></x:c>`, "8"},
		{"entity in value", `<c r="A1" t="str"><v>a&amp;b</v></c>`, "a&b"},
		{"inline string", `<c r="A1" t="inlineStr"><is><t>Study 02</t></is></c>`, "Study 02"},
		{"inline string preserved", `<c r="A1" t="inlineStr"><is><t xml:space="preserve"> two  spaces </t></is></c>`, " two  spaces "},
		{"inline string escapes", `<c r="A1" t="inlineStr"><is><t>a&amp;b_x000D_&#10;c&#13;</t></is></c>`, "a&b\nc\n"},
		{"inline string CR LF", "<c r=\"A1\" t=\"inlineStr\"><is><t>a\r\nb\rc</t></is></c>", "a\nb\nc"},
		{"inline string empty", `<c r="A1" t="inlineStr"><is><t></t></is></c>`, ""},
		{"inline string self-closing t", `<c r="A1" t="inlineStr"><is><t/></is></c>`, ""},
		{"inline rich text", `<c r="A1" t="inlineStr"><is><r><t>rich </t></r><r><t>text</t></r></is></c>`, "rich text"},
		{"inline string, phonetic run", `<c r="A1" t="inlineStr"><is><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></is></c>`, "東京"},
		{"inline string, CDATA", `<c r="A1" t="inlineStr"><is><t><![CDATA[a<b]]></t></is></c>`, "a<b"},
		{"inline string then value", `<c r="A1" t="inlineStr"><is><t>is</t></is><v>v</v></c>`, "is"},
		{"inline string then a space", `<c r="A1" t="inlineStr"><is><t>x</t></is> </c>`, "x"},
		{"inline string, other t attribute", `<c r="A1" t="inlineStr"><is><t xml:space="default">y</t></is></c>`, "y"},
		{"inline string in a number cell", `<c r="A1"><is><t>z</t></is></c>`, "z"},
		{"formula then inline string", `<c r="A1" t="inlineStr"><f>"q"</f><is><t>q</t></is></c>`, "q"},
	}
	for _, fast := range []bool{true, false} {
		for _, tc := range tests {
			t.Run(fmt.Sprintf("%s/fast=%v", tc.name, fast), func(t *testing.T) {
				noFastPaths = !fast
				defer func() { noFastPaths = false }()
				p := oneSheet(`<row r="1">` + tc.cell + `</row>`)
				p.strings = strs
				p.styles = testStyles
				wb, _, err := openParts(t, p.build(), Options{})
				if err != nil {
					t.Fatal(err)
				}
				got := readSheet(t, wb, "S")
				want := map[string]string{}
				if tc.want != "" {
					want["A1"] = tc.want
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("got %q, want %q", got, want)
				}
			})
		}
	}
}

func TestDate1904(t *testing.T) {
	p := oneSheet(`<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>1461</v></c><c r="C1" s="2"><v>1.5</v></c><c r="D1" s="3"><v>0.25</v></c><c r="E1" s="1"><v>2957003</v></c><c r="F1" s="1"><v>2957004</v></c></row>`)
	p.styles = testStyles
	p.date1904 = true
	wb, _, err := openParts(t, p.build(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := readSheet(t, wb, "S")
	want := map[string]string{"A1": "1/1/1904", "B1": "1/1/1908", "C1": "1/2/1904 12:00", "D1": "6:00 AM",
		"E1": "12/31/9999", "F1": "2957004"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// cellsOf opens the workbook of p and reads the cells of its sheet S.
func cellsOf(t *testing.T, p pkg) (Workbook, []Cell) {
	t.Helper()
	wb, _, err := openParts(t, p.build(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []Cell
	if err := wb.Rows("S", func(r Row) error { got = append(got, r.Cells...); return nil }); err != nil {
		t.Fatal(err)
	}
	return wb, got
}

// Cell.Shared is 1 + the shared-string place of a t="s" cell, 0 for any
// other, and SharedStrings finds the value there.
func TestCellShared(t *testing.T) {
	for _, fast := range []bool{true, false} {
		noFastPaths = !fast
		p := oneSheet(`<row r="1"><c r="A1" t="s"><v>2</v></c><c r="B1" t="inlineStr"><is><t>inline</t></is></c>` +
			`<c r="C1"><v>7</v></c><c r="D1" t="s"><v>0</v></c><c r="E1" t="str"><v>formula</v></c></row>`)
		p.strings = []string{"zero", "one", "two"}
		wb, got := cellsOf(t, p)
		want := []Cell{{Col: 1, Value: "two", Shared: 3}, {Col: 2, Value: "inline"}, {Col: 3, Value: "7"}, {Col: 4, Value: "zero", Shared: 1}, {Col: 5, Value: "formula"}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("fast=%v: got %+v, want %+v", fast, got, want)
		}
		strs := wb.(*xlsxWorkbook).SharedStrings()
		two, err2 := strs.Read(2, nil)
		zero, err0 := strs.Read(0, &StringsCache{})
		if strs.Len() != 3 || two != "two" || zero != "zero" || err2 != nil || err0 != nil || !strs.Held(2) {
			t.Errorf("fast=%v: SharedStrings has %d: %q %q (%v, %v)", fast, strs.Len(), zero, two, err0, err2)
		}
	}
	noFastPaths = false
}

// Cell.Date is set for numbers shown as dates or times and for t="d"
// cells, and for nothing else.
func TestCellDate(t *testing.T) {
	tests := []struct {
		name, cell, value string
		date              bool
	}{
		{"number in date style", `<c r="A1" s="1"><v>44197</v></c>`, "1/1/2021", true},
		{"time style", `<c r="A1" s="3"><v>0.75</v></c>`, "6:00 PM", true},
		{"elapsed time", `<c r="A1" s="4"><v>1.5</v></c>`, "36:00:00", true},
		{"custom date", `<c r="A1" s="5"><v>36526</v></c>`, "2000-01-01", true},
		{"negative serial is a number", `<c r="A1" s="1"><v>-1</v></c>`, "-1", false},
		{"serial past 9999 is a number", `<c r="A1" s="1"><v>2958466</v></c>`, "2958466", false},
		{"text in date style", `<c r="A1" s="1" t="s"><v>0</v></c>`, "plain", false},
		{"number", `<c r="A1" s="7"><v>12</v></c>`, "12.00", false},
		{"General number", `<c r="A1"><v>12</v></c>`, "12", false},
		{"boolean in date style", `<c r="A1" s="1" t="b"><v>1</v></c>`, "TRUE", false},
		{"ISO date, General", `<c r="A1" t="d"><v>2024-12-14</v></c>`, "2024-12-14", true},
		{"ISO date in a date style", `<c r="A1" s="1" t="d"><v>2024-12-14</v></c>`, "12/14/2024", true},
		{"ISO date-time in a date-time style", `<c r="A1" s="2" t="d"><v>2024-12-14T09:05:00</v></c>`, "12/14/2024 9:05", true},
		{"ISO time in a time style", `<c r="A1" s="3" t="d"><v>18:00:00</v></c>`, "6:00 PM", true},
		{"ISO date before 1900 kept", `<c r="A1" s="1" t="d"><v>1850-01-01</v></c>`, "1850-01-01", true},
		{"ISO date in a number style", `<c r="A1" s="7" t="d"><v>2024-12-14</v></c>`, "2024-12-14", true},
		{"t=d nonsense is no date", `<c r="A1" s="1" t="d"><v>someday</v></c>`, "someday", false},
	}
	for _, fast := range []bool{true, false} {
		for _, tc := range tests {
			t.Run(fmt.Sprintf("%s/fast=%v", tc.name, fast), func(t *testing.T) {
				noFastPaths = !fast
				defer func() { noFastPaths = false }()
				p := oneSheet(`<row r="1">` + tc.cell + `</row>`)
				p.strings = []string{"plain"}
				p.styles = testStyles
				_, got := cellsOf(t, p)
				want := []Cell{{Col: 1, Value: tc.value, Date: tc.date}}
				if strings.Contains(tc.cell, `t="s"`) {
					want[0].Shared = 1 // the table's first string
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("got %+v, want %+v", got, want)
				}
			})
		}
	}
}

// The field cases: a page range that Excel made a date, shown as Excel
// shows it (d-mmm) and marked a date; a 0% cell and a dd/mm/yyyy date.
func TestFieldCaseNumberFormats(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "field-cases")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("field cases absent: %v", err)
	}
	for _, tc := range []struct {
		file, sheet string
		want        map[string]Cell
	}{
		{"12-excel-page-range-as-date/extracts.xlsx", "Extracts", map[string]Cell{
			"E2": {Col: 5, Value: "14-Dec", Date: true}, // 45640, 2024-12-14, in built-in 16 (d-mmm)
			"E3": {Col: 5, Value: "5-Mar", Date: true},  // 45356, 2024-03-05
			"E4": {Col: 5, Value: "7"},
		}},
		{"newcomer-m_numeric/extracts.xlsx", "Studies", map[string]Cell{
			"S2": {Col: 19, Value: "15/02/2021", Date: true}, // 44242 in DD/MM/YYYY
			"T2": {Col: 20, Value: "23%"},                    // 0.23 in 0% (built-in 9)
			"T3": {Col: 20, Value: "33%"},                    // 0.3300000000000001
			"T6": {Col: 20, Value: "63%"},                    // 0.6300000000000001
		}},
	} {
		wb, err := OpenXLSX(filepath.Join(dir, tc.file), Options{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]Cell{}
		err = wb.Rows(tc.sheet, func(r Row) error {
			for _, c := range r.Cells {
				got[Ref(c.Col, r.Num)] = c
			}
			return nil
		})
		wb.Close()
		if err != nil {
			t.Fatal(err)
		}
		for ref, want := range tc.want {
			if got[ref] != want {
				t.Errorf("%s %s!%s = %+v, want %+v", tc.file, tc.sheet, ref, got[ref], want)
			}
		}
	}
}

func TestIsDateFormat(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"General", false},
		{"0.00", false},
		{"0.00E+00", false},
		{`#,##0.00 "€"`, false},
		{`[$€-2] #,##0.00`, false},
		{`[Red]-0.00`, false},
		{`0 \d\a\y\s`, false},
		{`_-* #,##0_-;\-* #,##0_-;_-* "-"_-;_-@_-`, false},
		{`@`, false},
		{"yyyy-mm-dd", true},
		{"m/d/yy", true},
		{"d-mmm", true},
		{"mmm-yy", true},
		{"[$-F800]dddd, mmmm dd, yyyy", true},
		{"yyyy-mm-dd hh:mm:ss", true},
		{"DD/MM/YYYY", true},
		{"h:mm", true},
		{"h:mm AM/PM", true},
		{"[$-409]h:mm:ss AM/PM;@", true},
		{"mm:ss", true},
		{"mm:ss.0", true},
		{"hh", true},
		{"[h]:mm:ss", true},
		{"[mm]:ss", true},
		{`[Blue][h]:mm`, true},
		{`"date" 0`, false},
	}
	for _, tc := range tests {
		if got := compileFormat(tc.code).isDate(); got != tc.want {
			t.Errorf("compileFormat(%q).isDate() = %v, want %v", tc.code, got, tc.want)
		}
	}
}

func TestPositions(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []Row
	}{
		{"rows and cells without r",
			`<row><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c></row><row><c><v>2</v></c></row>`,
			[]Row{{Num: 1, Cells: []Cell{{Col: 1, Value: "a"}, {Col: 2, Value: "1"}}}, {Num: 2, Cells: []Cell{{Col: 1, Value: "2"}}}}},
		{"cells without r after one with r",
			`<row r="3"><c r="C3"><v>1</v></c><c><v>2</v></c></row>`,
			[]Row{{Num: 3, Cells: []Cell{{Col: 3, Value: "1"}, {Col: 4, Value: "2"}}}}},
		{"row without r takes its number from its first cell",
			`<row><c r="B5"><v>1</v></c></row><row><c><v>2</v></c></row>`,
			[]Row{{Num: 5, Cells: []Cell{{Col: 2, Value: "1"}}}, {Num: 6, Cells: []Cell{{Col: 1, Value: "2"}}}}},
		{"row without r after a numbered one",
			`<row r="4"><c><v>1</v></c></row><row><c><v>2</v></c></row>`,
			[]Row{{Num: 4, Cells: []Cell{{Col: 1, Value: "1"}}}, {Num: 5, Cells: []Cell{{Col: 1, Value: "2"}}}}},
		{"empty and style-only rows are skipped but counted",
			`<row/><row r="2"><c r="A2" s="1"/></row><row><c><v>x</v></c></row>`,
			[]Row{{Num: 3, Cells: []Cell{{Col: 1, Value: "x"}}}}},
		{"last row of the sheet",
			`<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>`,
			[]Row{{Num: 1, Cells: []Cell{{Col: 1, Value: "1"}}}, {Num: 1048576, Cells: []Cell{{Col: 16384, Value: "2"}}}}},
		{"cells out of order are sorted, the later of two wins",
			`<row r="1"><c r="C1"><v>3</v></c><c r="A1"><v>1</v></c><c r="C1"><v>33</v></c></row>`,
			[]Row{{Num: 1, Cells: []Cell{{Col: 1, Value: "1"}, {Col: 3, Value: "33"}}}}},
		{"lower-case reference",
			`<row r="2"><c r="b2"><v>1</v></c></row>`,
			[]Row{{Num: 2, Cells: []Cell{{Col: 2, Value: "1"}}}}},
		{"unclosed cell before the next",
			`<row r="1"><c r="A1"><v>1</v><c r="B1"><v>2</v></c></row>`,
			[]Row{{Num: 1, Cells: []Cell{{Col: 1, Value: "1"}, {Col: 2, Value: "2"}}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wb, _, err := openParts(t, oneSheet(tc.data).build(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []Row
			if err := wb.Rows("S", func(r Row) error { got = append(got, r); return nil }); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestBadPositions(t *testing.T) {
	tests := []struct{ name, data, phrase string }{
		{"row 0", `<row r="0"><c><v>1</v></c></row>`, "not a row of a sheet"},
		{"row past the end", `<row r="1048577"><c><v>1</v></c></row>`, "not a row of a sheet"},
		{"row not a number", `<row r="x"><c><v>1</v></c></row>`, "not a row of a sheet"},
		{"column past the end", `<row r="1"><c r="XFE1"><v>1</v></c></row>`, "not a cell of a sheet"},
		{"reference nonsense", `<row r="1"><c r="1A"><v>1</v></c></row>`, "not a cell of a sheet"},
		{"implied row past the end", `<row r="1048576"><c><v>1</v></c></row><row><c><v>2</v></c></row>`, "more than 1048576 rows"},
		{"implied column past the end", `<row r="1"><c r="XFD1"><v>1</v></c><c><v>2</v></c></row>`, "more than 16384 columns"},
		{"shared string out of range", `<row r="3"><c r="B3" t="s"><v>7</v></c></row>`, "refers to shared string"},
		{"shared string index not a number", `<row r="3"><c r="B3" t="s"><v>x</v></c></row>`, "refers to shared string"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := oneSheet(tc.data)
			p.strings = []string{"only"}
			fe, path := sheetFileError(t, p)
			if !strings.Contains(fe.Msg, tc.phrase) || fe.File != path || fe.Sheet != "S" {
				t.Errorf("error = %+v, want %q in the message, file and sheet set", fe, tc.phrase)
			}
		})
	}
}

func TestSharedStringErrorNamesCell(t *testing.T) {
	p := oneSheet(`<row r="3"><c r="B3" t="s"><v>7</v></c></row>`)
	p.strings = []string{"only"}
	if fe, _ := sheetFileError(t, p); fe.Ref != "B3" {
		t.Errorf("error = %v, want one at B3", fe)
	}
}

func TestSharedStringsTable(t *testing.T) {
	sst := `<?xml version="1.0"?><sst ` + nsMain + ` count="6" uniqueCount="6">` +
		`<si><t>plain</t></si>` +
		`<si><r><rPr><b/></rPr><t>rich </t></r><r><t xml:space="preserve"> text</t></r></si>` +
		`<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>` +
		`<si><t/></si>` +
		`<si/>` +
		`<si><t><![CDATA[a<b]]></t></si>` +
		`</sst>`
	var data strings.Builder
	data.WriteString(`<row r="1">`)
	for i := 0; i < 6; i++ {
		fmt.Fprintf(&data, `<c r="%s1" t="s"><v>%d</v></c>`, ColName(i+1), i)
	}
	data.WriteString(`</row>`)
	p := oneSheet(data.String())
	p.sstXML = sst
	wb, _, err := openParts(t, p.build(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := readSheet(t, wb, "S")
	want := map[string]string{"A1": "plain", "B1": "rich  text", "C1": "東京", "F1": "a<b"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// A large table is published in blocks while the sheet is read; every
// index must still come out right, in any order.
func TestSharedStringsManyBlocks(t *testing.T) {
	const n = 20000
	strs := make([]string, n)
	for i := range strs {
		strs[i] = fmt.Sprintf("string %d %s", i, strings.Repeat("x", i%50))
	}
	var data strings.Builder
	for r := 0; r < n; r++ {
		i := (r * 7919) % n // out of order
		fmt.Fprintf(&data, `<row r="%d"><c r="A%d" t="s"><v>%d</v></c></row>`, r+1, r+1, i)
	}
	p := oneSheet(data.String())
	p.strings = strs
	wb, _, err := openParts(t, p.build(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	err = wb.Rows("S", func(r Row) error {
		i := ((r.Num - 1) * 7919) % n
		if r.Cells[0].Value != strs[i] {
			return fmt.Errorf("row %d = %q, want %q", r.Num, r.Cells[0].Value, strs[i])
		}
		rows++
		return nil
	})
	if err != nil || rows != n {
		t.Fatalf("%d rows, err %v", rows, err)
	}
}

func TestNamespacesAndEncodings(t *testing.T) {
	prefixed := `<?xml version="1.0" encoding="utf-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		`<x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>x-prefixed</x:t></x:is></x:c><x:c r="B1"><x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>`
	strict := `<worksheet xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>strict</t></is></c></row></sheetData></worksheet>`
	plain := `<?xml version="1.0" encoding="UTF-16"?><worksheet ` + nsMain + `><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Grüße ☺</t></is></c></row></sheetData></worksheet>`
	latin1 := `<?xml version="1.0" encoding="ISO-8859-1"?><worksheet ` + nsMain + `><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Gr` + "\xfc\xdf" + `e</t></is></c></row></sheetData></worksheet>`
	tests := []struct {
		name, xml, want string
	}{
		{"x: prefix", prefixed, "x-prefixed"},
		{"Strict namespace", strict, "strict"},
		{"UTF-8 BOM", "\xEF\xBB\xBF" + strict, "strict"},
		{"UTF-16 LE with BOM", utf16LE(plain), "Grüße ☺"},
		{"UTF-16 LE without BOM", utf16LE(plain)[2:], "Grüße ☺"},
		{"declared ISO-8859-1", latin1, "Grüße"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := pkg{sheets: []pkgSheet{{name: "S", xml: tc.xml}}}
			wb, _, err := openParts(t, p.build(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := readSheet(t, wb, "S"); got["A1"] != tc.want {
				t.Errorf("A1 = %q, want %q", got["A1"], tc.want)
			}
		})
	}
}

// Packages laid out in the odd ways real writers use.
func TestPackageLayouts(t *testing.T) {
	sheetXML := `<worksheet ` + nsMain + `><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`
	sst := `<sst ` + nsMain + `><si><t>found</t></si></sst>`
	rels := func(targets ...string) string {
		s := `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
		kinds := []string{"worksheet", "sharedStrings"}
		for i, t := range targets {
			s += fmt.Sprintf(`<Relationship Id="rId%d" Type="%s%s" Target="%s"/>`, i+1, relNS, kinds[i], t)
		}
		return s + `</Relationships>`
	}
	rootRels := func(target string) string {
		return `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + relNS + `officeDocument" Target="` + target + `"/></Relationships>`
	}
	workbook := `<workbook ` + nsMain + ` ` + nsRel + `><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`
	strictRels := strings.ReplaceAll(rels("worksheets/sheet1.xml", "sharedStrings.xml"), relNS, "http://purl.oclc.org/ooxml/officeDocument/relationships/")
	tests := []struct {
		name  string
		parts []part
	}{
		{"standard", []part{
			{name: "_rels/.rels", data: rootRels("xl/workbook.xml")},
			{name: "xl/workbook.xml", data: workbook},
			{name: "xl/_rels/workbook.xml.rels", data: rels("worksheets/sheet1.xml", "sharedStrings.xml")},
			{name: "xl/worksheets/sheet1.xml", data: sheetXML},
			{name: "xl/sharedStrings.xml", data: sst},
		}},
		{"absolute targets", []part{
			{name: "_rels/.rels", data: rootRels("/xl/workbook.xml")},
			{name: "xl/workbook.xml", data: workbook},
			{name: "xl/_rels/workbook.xml.rels", data: rels("/xl/worksheets/sheet.xml", "/xl/sharedStrings.xml")},
			{name: "xl/worksheets/sheet.xml", data: sheetXML},
			{name: "xl/sharedStrings.xml", data: sst},
		}},
		{"backslashes in zip names", []part{
			{name: `_rels\.rels`, data: rootRels("xl/workbook.xml")},
			{name: `xl\workbook.xml`, data: workbook},
			{name: `xl\_rels\workbook.xml.rels`, data: rels("worksheets/sheet1.xml", "sharedStrings.xml")},
			{name: `xl\worksheets\sheet1.xml`, data: sheetXML},
			{name: `xl\sharedStrings.xml`, data: sst},
		}},
		{"parts at the zip root", []part{
			{name: "_rels/.rels", data: rootRels("workbook.xml")},
			{name: "workbook.xml", data: workbook},
			{name: "_rels/workbook.xml.rels", data: rels("sheet1.xml", "sharedStrings.xml")},
			{name: "sheet1.xml", data: sheetXML},
			{name: "sharedStrings.xml", data: sst},
		}},
		{"parts under wtf/", []part{
			{name: "_rels/.rels", data: rootRels("wtf/book.xml")},
			{name: "wtf/book.xml", data: workbook},
			{name: "wtf/_rels/book.xml.rels", data: rels("sheets/one.xml", "../strings/sst.xml")},
			{name: "wtf/sheets/one.xml", data: sheetXML},
			{name: "strings/sst.xml", data: sst},
		}},
		{"oddly cased names", []part{
			{name: "_RELS/.rels", data: rootRels("XL/Workbook.xml")},
			{name: "xl/workbook.XML", data: workbook},
			{name: "Xl/_rels/workbook.xml.rels", data: rels("Worksheets/Sheet1.xml", "SharedStrings.xml")},
			{name: "xl/worksheets/sheet1.xml", data: sheetXML},
			{name: "xl/sharedstrings.xml", data: sst},
		}},
		{"percent-encoded target", []part{
			{name: "_rels/.rels", data: rootRels("xl/workbook.xml")},
			{name: "xl/workbook.xml", data: workbook},
			{name: "xl/_rels/workbook.xml.rels", data: rels("worksheets/my%20sheet.xml", "sharedStrings.xml")},
			{name: "xl/worksheets/my sheet.xml", data: sheetXML},
			{name: "xl/sharedStrings.xml", data: sst},
		}},
		{"no package relationships", []part{
			{name: "xl/workbook.xml", data: workbook},
			{name: "xl/_rels/workbook.xml.rels", data: rels("worksheets/sheet1.xml", "sharedStrings.xml")},
			{name: "xl/worksheets/sheet1.xml", data: sheetXML},
			{name: "xl/sharedStrings.xml", data: sst},
		}},
		{"no sharedStrings relationship", []part{
			{name: "_rels/.rels", data: rootRels("xl/workbook.xml")},
			{name: "xl/workbook.xml", data: workbook},
			{name: "xl/_rels/workbook.xml.rels", data: rels("worksheets/sheet1.xml")},
			{name: "xl/worksheets/sheet1.xml", data: sheetXML},
			{name: "xl/sharedStrings.xml", data: sst},
		}},
		{"ns:id and BOMs", []part{
			{name: "_rels/.rels", data: "\xEF\xBB\xBF" + rootRels("xl/workbook.xml")},
			{name: "xl/workbook.xml", data: "\xEF\xBB\xBF" + `<workbook ` + nsMain + ` xmlns:ns="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" ns:id="rId1"/></sheets></workbook>`},
			{name: "xl/_rels/workbook.xml.rels", data: "\xEF\xBB\xBF" + rels("worksheets/sheet1.xml", "sharedStrings.xml")},
			{name: "xl/worksheets/sheet1.xml", data: "\xEF\xBB\xBF" + sheetXML},
			{name: "xl/sharedStrings.xml", data: "\xEF\xBB\xBF" + sst},
		}},
		{"Strict relationship types", []part{
			{name: "_rels/.rels", data: strings.ReplaceAll(rootRels("xl/workbook.xml"), relNS, "http://purl.oclc.org/ooxml/officeDocument/relationships/")},
			{name: "xl/workbook.xml", data: strings.ReplaceAll(workbook, "http://schemas.openxmlformats.org/officeDocument/2006/relationships", "http://purl.oclc.org/ooxml/officeDocument/relationships")},
			{name: "xl/_rels/workbook.xml.rels", data: strictRels},
			{name: "xl/worksheets/sheet1.xml", data: sheetXML},
			{name: "xl/sharedStrings.xml", data: sst},
		}},
		{"directory entries and stored parts", []part{
			{name: "xl/", data: ""},
			{name: "_rels/.rels", data: rootRels("xl/workbook.xml"), stored: true},
			{name: "xl/workbook.xml", data: workbook, stored: true},
			{name: "xl/_rels/workbook.xml.rels", data: rels("worksheets/sheet1.xml", "sharedStrings.xml")},
			{name: "xl/worksheets/sheet1.xml", data: sheetXML, stored: true},
			{name: "xl/sharedStrings.xml", data: sst},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wb, _, err := openParts(t, tc.parts, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := readSheet(t, wb, "S"); got["A1"] != "found" {
				t.Errorf("A1 = %q, want %q", got["A1"], "found")
			}
		})
	}
}

func TestSheetList(t *testing.T) {
	p := pkg{sheets: []pkgSheet{
		{name: "Extracts", data: `<row r="1"><c r="A1"><v>1</v></c></row>`},
		{name: "Chart 1", chart: true},
		{name: "Old", state: "hidden", data: `<row r="1"><c r="A1"><v>2</v></c></row>`},
		{name: "Secret", state: "veryHidden"},
		{name: "A & B <c>", data: `<row r="2"><c r="B2"><v>3</v></c></row>`},
	}}
	wb, _, err := openParts(t, p.build(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Info{{Name: "Extracts"}, {Name: "Chart 1", Chart: true}, {Name: "Old", Hidden: true}, {Name: "Secret", Hidden: true}, {Name: "A & B <c>"}}
	if got := wb.Sheets(); !reflect.DeepEqual(got, want) {
		t.Errorf("Sheets() = %+v, want %+v", got, want)
	}
	if got := readSheet(t, wb, "Chart 1"); len(got) != 0 {
		t.Errorf("chartsheet rows = %v", got)
	}
	if got := readSheet(t, wb, "Old"); got["A1"] != "2" {
		t.Errorf("hidden sheet = %v", got)
	}
	if got := readSheet(t, wb, "a & b <C>"); got["B2"] != "3" {
		t.Errorf("sheet by case-insensitive name = %v", got)
	}
	err = wb.Rows("Nope", func(Row) error { return nil })
	if err == nil || !strings.Contains(err.Error(), `no sheet named "Nope"; the sheets are "Extracts", "Chart 1"`) {
		t.Errorf("missing sheet: %v", err)
	}
}

func TestMerged(t *testing.T) {
	p := pkg{sheets: []pkgSheet{
		{name: "S", data: `<row r="1"><c r="A1"><v>1</v></c></row>`,
			after: `<mergeCells count="3"><mergeCell ref="A1:B2"/><mergeCell ref="D5:C3"/><mergeCell ref="E1"/><mergeCell ref="bogus"/></mergeCells>`},
		{name: "T", data: ``},
	}}
	wb, _, err := openParts(t, p.build(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := wb.Merged("S"); len(got) != 0 {
		t.Errorf("Merged before Rows = %v", got)
	}
	readSheet(t, wb, "S")
	want := []Range{{1, 1, 2, 2}, {3, 3, 4, 5}, {5, 1, 5, 1}}
	if got := wb.Merged("S"); !reflect.DeepEqual(got, want) {
		t.Errorf("Merged = %v, want %v", got, want)
	}
	readSheet(t, wb, "T")
	if got := wb.Merged("T"); len(got) != 0 {
		t.Errorf("Merged(T) = %v", got)
	}
}

func TestCallbackErrorStopsRows(t *testing.T) {
	var data strings.Builder
	for i := 1; i <= 100; i++ {
		fmt.Fprintf(&data, `<row r="%d"><c r="A%d" t="s"><v>%d</v></c></row>`, i, i, i-1)
	}
	p := oneSheet(data.String())
	for i := 0; i < 100; i++ {
		p.strings = append(p.strings, fmt.Sprint("s", i))
	}
	wb, _, err := openParts(t, p.build(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	n := 0
	err = wb.Rows("S", func(Row) error {
		n++
		if n == 3 {
			return stop
		}
		return nil
	})
	if err != stop || n != 3 {
		t.Errorf("err %v after %d rows, want stop after 3", err, n)
	}
	// The workbook still reads after an interrupted read.
	if got := readSheet(t, wb, "S"); len(got) != 100 {
		t.Errorf("%d cells on the second read", len(got))
	}
}

func TestBrokenPackages(t *testing.T) {
	good := oneSheet(`<row r="1"><c r="A1"><v>1</v></c></row>`).build()
	without := func(name string) []part {
		var out []part
		for _, p := range good {
			if p.name != name {
				out = append(out, p)
			}
		}
		return out
	}
	replace := func(name, data string) []part {
		var out []part
		for _, p := range good {
			if p.name == name {
				p.data = data
			}
			out = append(out, p)
		}
		return out
	}
	tests := []struct {
		name   string
		parts  []part
		phrase string
	}{
		{"no workbook rels", without("xl/_rels/workbook.xml.rels"), "no relationships part (xl/_rels/workbook.xml.rels)"},
		{"no sheet part", without("xl/worksheets/sheet1.xml"), `its part xl/worksheets/sheet1.xml is missing`},
		{"no sheets", replace("xl/workbook.xml", `<workbook `+nsMain+`><sheets/></workbook>`), "lists no sheets"},
		{"no workbook", []part{{name: "hello.txt", data: "hi"}}, "holds no workbook part"},
		{"a docx", []part{{name: "word/document.xml", data: "<w:document/>"}}, "Word document (.docx)"},
		{"an xlsb", []part{{name: "_rels/.rels", data: `<Relationships><Relationship Id="r" Type="` + relNS + `officeDocument" Target="xl/workbook.bin"/></Relationships>`}, {name: "xl/workbook.bin", data: "\x00"}}, "Excel binary workbook (.xlsb)"},
		{"sheet relationship id unknown", replace("xl/workbook.xml", `<workbook `+nsMain+` `+nsRel+`><sheets><sheet name="S" sheetId="1" r:id="rId9"/></sheets></workbook>`), "name no part for it"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, path, err := openParts(t, tc.parts, Options{})
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error = %v, want a *FileError", err)
			}
			if fe.File != path || !strings.Contains(fe.Msg, tc.phrase) {
				t.Errorf("error = %q, want %q", err, tc.phrase)
			}
		})
	}
}

// One sheet of two missing: the workbook opens with a warning, and reading
// that sheet is an error.
func TestOneSheetMissing(t *testing.T) {
	p := pkg{sheets: []pkgSheet{{name: "Good", data: `<row r="1"><c r="A1"><v>1</v></c></row>`}, {name: "Gone"}}}
	var parts []part
	for _, pt := range p.build() {
		if pt.name != "xl/worksheets/sheet2.xml" {
			parts = append(parts, pt)
		}
	}
	wb, _, err := openParts(t, parts, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := readSheet(t, wb, "Good"); got["A1"] != "1" {
		t.Errorf("Good = %v", got)
	}
	_, err = tryReadSheet(wb, "Gone")
	var fe *FileError
	if !errors.As(err, &fe) || fe.Sheet != "Gone" || !strings.Contains(fe.Msg, "missing") {
		t.Errorf("Rows(Gone) = %v", err)
	}
	if w := wb.Warnings(); len(w) != 1 || w[0].Kind != "sheet-unreadable" || !strings.Contains(w[0].Message, "Gone") {
		t.Errorf("warnings = %+v", w)
	}
}

func TestNotAWorkbook(t *testing.T) {
	good := zipBytes(t, oneSheet(`<row r="1"><c r="A1"><v>1</v></c></row>`).build())
	ods := zipBytes(t, []part{
		{name: "mimetype", data: "application/vnd.oasis.opendocument.spreadsheet", stored: true},
		{name: "content.xml", data: "<office:document-content/>"},
	})
	odt := zipBytes(t, []part{{name: "mimetype", data: "application/vnd.oasis.opendocument.text", stored: true}})
	tests := []struct {
		name   string
		data   []byte
		phrase string
	}{
		{"empty", nil, "empty (0 bytes)"},
		{"encrypted", cfbFile("EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"), "password-protected (encrypted)"},
		{"legacy xls", cfbFile("Workbook", "\x05SummaryInformation"), "legacy Excel 97–2003 .xls"},
		{"legacy xls Book stream", cfbFile("Book"), "legacy Excel 97–2003 .xls"},
		{"word doc", cfbFile("WordDocument"), "Word 97–2003"},
		{"other compound file", cfbFile("Something"), "OLE compound file"},
		{"damaged compound file", append(append([]byte{}, cfbMagic...), make([]byte, 600)...), "OLE compound file"},
		{"short compound file", cfbMagic, "OLE compound file"},
		{"ods", ods, "OpenDocument spreadsheet (.ods)"},
		{"odt", odt, "OpenDocument file (text)"},
		{"truncated", good[:len(good)/2], "damaged or truncated (not a complete zip archive)"},
		{"zip magic only", []byte("PK\x03\x04"), "damaged or truncated"},
		{"csv", []byte("Study,Extract\nS1,hello\n"), "text file (CSV?)"},
		{"html", []byte("<!DOCTYPE html><html><table></table></html>"), "web page (HTML)"},
		{"xml 2003", []byte(`<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>`), "Excel 2003 XML spreadsheet"},
		{"binary", []byte{0, 1, 2, 3, 4, 5, 0xff, 0xfe, 0x80}, "not a zip archive"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "book.xlsx", tc.data)
			_, err := OpenXLSX(path, Options{})
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error = %v, want a *FileError", err)
			}
			if fe.File != path || !strings.Contains(fe.Msg, tc.phrase) {
				t.Errorf("error = %q, want %q", err, tc.phrase)
			}
		})
	}
	t.Run("no such file", func(t *testing.T) {
		_, err := OpenXLSX(t.TempDir()+"/nope.xlsx", Options{})
		if err == nil || !strings.Contains(err.Error(), "no such file") {
			t.Errorf("error = %v", err)
		}
	})
	t.Run("folder", func(t *testing.T) {
		_, err := OpenXLSX(t.TempDir(), Options{})
		if err == nil || !strings.Contains(err.Error(), "is a folder") {
			t.Errorf("error = %v", err)
		}
	})
}

func TestCFBStreamNamesOnGarbage(t *testing.T) {
	// Every single-byte corruption of a valid compound file must come
	// back without a panic or a hang.
	base := cfbFile("EncryptionInfo", "EncryptedPackage")
	for i := 0; i < len(base); i += 3 {
		for _, v := range []byte{0x00, 0xFF, 0x7F, 0xFE} {
			b := append([]byte(nil), base...)
			b[i] = v
			names, _ := cfbStreamNames(bytesReaderAt(b), int64(len(b)))
			_ = names
		}
	}
}

type bytesReaderAt []byte

func (b bytesReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off >= int64(len(b)) {
		return 0, errors.New("EOF")
	}
	n := copy(p, b[off:])
	if n < len(p) {
		return n, errors.New("EOF")
	}
	return n, nil
}

// Rows may run on several goroutines at once; the string table is loaded
// once and shared.
func TestConcurrentRows(t *testing.T) {
	var data strings.Builder
	p := pkg{}
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&data, `<row r="%d"><c r="A%d" t="s"><v>%d</v></c><c r="B%d"><v>%d</v></c></row>`, i+1, i+1, i, i+1, i)
		p.strings = append(p.strings, fmt.Sprint("text ", i))
	}
	p.sheets = []pkgSheet{{name: "S", data: data.String()}, {name: "T", data: data.String()}}
	wb, _, err := openParts(t, p.build(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := readSheet(t, wb, "S")
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		go func(sheet string) {
			got, err := tryReadSheet(wb, sheet)
			if err == nil && !reflect.DeepEqual(got, want) {
				err = fmt.Errorf("%s read differently", sheet)
			}
			errs <- err
		}([]string{"S", "T"}[i%2])
	}
	for i := 0; i < 8; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
