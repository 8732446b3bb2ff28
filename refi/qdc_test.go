package refi

import (
	"strings"
	"testing"
)

func TestReadQDC(t *testing.T) {
	cb, err := ReadQDC([]byte(`<?xml version="1.0" encoding="utf-8"?>
<qda:CodeBook xmlns:qda="urn:QDA-XML:codebook:1.0" origin="MAXQDA 24">
 <qda:Codes>
  <qda:Code guid="{C0000000-0000-0000-0000-000000000001}" name="Barriers" isCodable="false" color="#FF0000">
   <qda:Description>  What gets in the way  </qda:Description>
   <qda:Code guid="c0000000-0000-0000-0000-000000000002" name="Cost" isCodable="true" color="red"/>
  </qda:Code>
 </qda:Codes>
 <qda:Sets><qda:Set guid="50000000-0000-0000-0000-000000000001" name="Money"><qda:Description>group</qda:Description>
  <qda:MemberCode guid="c0000000-0000-0000-0000-000000000002"/><qda:MemberCode targetGUID="C0000000-0000-0000-0000-000000000001"/>
 </qda:Set></qda:Sets>
</qda:CodeBook>`), "c.qdc")
	if err != nil {
		t.Fatal(err)
	}
	b := cb.Codes[0]
	if cb.Origin != "MAXQDA 24" || b.Name != "Barriers" || b.IsCodable || b.Color != "#FF0000" || b.Description != "What gets in the way" {
		t.Errorf("code %+v", b)
	}
	if c := b.Children[0]; c.Name != "Cost" || !c.IsCodable || c.Color != "" || c.Parent != b {
		t.Errorf("sub-code %+v (a colour that is not RGB is dropped)", c)
	}
	if len(cb.Sets) != 1 || cb.Sets[0].Name != "Money" || cb.Sets[0].Description != "group" ||
		strings.Join(cb.Sets[0].Codes, " ") != "c0000000-0000-0000-0000-000000000002 C0000000-0000-0000-0000-000000000001" {
		t.Errorf("sets %+v", cb.Sets)
	}
}

func TestReadQDCErrors(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", "c.qdc: the file is empty"},
		{"PK\x03\x04", "c.qdc: this is a zip file (a REFI-QDA project, .qdpx?), not a REFI-QDA codebook"},
		{`<Project name="p"/>`, `c.qdc: this is a REFI-QDA project (.qde), not a codebook; bring it in with "synth import qdpx"`},
		{`<Codes/>`, "c.qdc: the XML's root element is <Codes>, not <CodeBook>"},
		{`<CodeBook origin="x"></CodeBook>`, "c.qdc: the <CodeBook> has no <Codes> element"},
		{"<CodeBook>\n<Codes>\n<Code name='a'>\n</Codes>", "c.qdc:4: XML syntax error: element <Code> closed by </Codes>"},
		{"<CodeBook>\n<Codes>", "c.qdc:2: XML syntax error: the XML ends too soon"},
	} {
		_, err := ReadQDC([]byte(tt.in), "c.qdc")
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want %s…", tt.in, err, tt.want)
		}
	}
}
