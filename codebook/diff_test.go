package codebook

import (
	"fmt"
	"strings"
	"testing"
)

// describe spells a Diff one change a line, for comparing with lists
// written by hand.
func describe(d *Diff) []string {
	var out []string
	names := func(rs []ThemeRef) string {
		var s []string
		for _, r := range rs {
			s = append(s, r.ID+"="+r.Name)
		}
		return strings.Join(s, ",")
	}
	for _, c := range d.Codes {
		line := fmt.Sprintf("code %s %s > %s", c.Kind, strings.Join(c.Old, ","), strings.Join(c.New, ","))
		switch c.Kind {
		case Moved:
			line += fmt.Sprintf(" [%s > %s]", strings.Join(c.OldThemes, ","), strings.Join(c.NewThemes, ","))
		case Redefined:
			line += fmt.Sprintf(" [%s > %s]", c.OldDefinition, c.NewDefinition)
		}
		if c.By != "" {
			line += " by " + c.By
		}
		out = append(out, line)
	}
	for _, t := range d.Themes {
		line := fmt.Sprintf("theme %s %s > %s", t.Kind, names(t.Old), names(t.New))
		switch t.Kind {
		case Moved:
			line += fmt.Sprintf(" [%s > %s]", strings.Join(t.OldParents, ","), strings.Join(t.NewParents, ","))
			if t.OldLevel != "" {
				line += fmt.Sprintf(" [%s > %s]", t.OldLevel, t.NewLevel)
			}
		case CodesChanged:
			line += fmt.Sprintf(" [+%s -%s]", strings.Join(t.CodesAdded, ","), strings.Join(t.CodesRemoved, ","))
		}
		if t.By != "" {
			line += " by " + t.By
		}
		out = append(out, line)
	}
	return out
}

func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		name     string
		old, new string
		oldEv    Evidence
		newEv    Evidence
		want     []string
	}{{
		name: "identical",
		old:  "version: 1\ncodes: [{name: A}]\nthemes:\n  - name: T\n    codes: [A]\n",
		new:  "version: 1\ncodes: [{name: a}]\nthemes:\n  - name: T\n    codes: [A]\n",
		want: nil,
	}, {
		name: "code added and removed",
		old:  "version: 1\ncodes: [{name: A}, {name: B}]\nthemes:\n  - name: T\n    codes: [A, B]\n",
		new:  "version: 1\ncodes: [{name: A}, {name: C}]\nthemes:\n  - name: T\n    codes: [A, C]\n",
		want: []string{
			"code added  > C",
			"code removed B > ",
			"theme codes-changed t=T > t=T [+C -B]",
		},
	}, {
		name: "code renamed, its old name kept as an alias",
		old:  "version: 1\ncodes: [{name: Lonely}]\nthemes:\n  - name: T\n    codes: [Lonely]\n",
		new:  "version: 1\ncodes: [{name: Loneliness, aliases: [lonely]}]\nthemes:\n  - name: T\n    codes: [Loneliness]\n",
		want: []string{"code renamed Lonely > Loneliness by alias"},
	}, {
		name: "code renamed to one of its aliases",
		old:  "version: 1\ncodes: [{name: Lonely, aliases: [Loneliness]}]\nthemes:\n  - name: T\n    codes: [Lonely]\n",
		new:  "version: 1\ncodes: [{name: Loneliness}]\nthemes:\n  - name: T\n    codes: [Loneliness]\n",
		want: []string{"code renamed Lonely > Loneliness by alias"},
	}, {
		name: "two codes merged into a kept one",
		old:  "version: 1\ncodes: [{name: Isolation}, {name: Loneliness}, {name: Cut off}]\nthemes:\n  - name: T\n    codes: [Isolation, Loneliness, Cut off]\n",
		new:  "version: 1\ncodes: [{name: Loneliness, aliases: [isolation, cut off]}]\nthemes:\n  - name: T\n    codes: [Loneliness]\n",
		want: []string{"code merged Isolation,Loneliness,Cut off > Loneliness by alias"},
	}, {
		name: "two codes merged into a new one",
		old:  "version: 1\ncodes: [{name: Worry}, {name: Fear}]\nthemes:\n  - name: T\n    codes: [Worry, Fear]\n",
		new:  "version: 1\ncodes: [{name: Anxiety, aliases: [Fear, Worry]}]\nthemes:\n  - name: T\n    codes: [Anxiety]\n",
		want: []string{"code merged Worry,Fear > Anxiety by alias"},
	}, {
		name: "code split into codes named by its aliases",
		old:  "version: 1\ncodes: [{name: Cost, aliases: [money, travel cost]}]\nthemes:\n  - name: T\n    codes: [Cost]\n",
		new:  "version: 1\ncodes: [{name: Travel cost}, {name: Money}]\nthemes:\n  - name: T\n    codes: [Money, Travel cost]\n",
		want: []string{"code split Cost > Travel cost,Money by alias"},
	}, {
		name: "code moved to another theme, and redefined",
		old:  "version: 1\ncodes: [{name: X, definition: old words}, {name: Y}]\nthemes:\n  - name: A\n    codes: [X]\n  - name: B\n    codes: [Y]\n",
		new:  "version: 1\ncodes: [{name: X, definition: new words}, {name: Y}]\nthemes:\n  - name: A\n    codes: [X, Y]\n  - name: B\n",
		want: []string{
			"code moved Y > Y [b > a]",
			"code redefined X > X [old words > new words]",
			"theme codes-changed a=A > a=A [+Y -]",
			"theme codes-changed b=B > b=B [+ -Y]",
		},
	}, {
		name: "theme renamed with its id, and a theme moved a level down",
		old: `version: 1
themes:
  - name: Hope
    id: hope
    themes:
      - name: Low point
        codes: [a]
  - name: Support
    codes: [b]
`,
		new: `version: 1
themes:
  - name: Searching for hope
    id: hope
    themes:
      - name: Low point
        codes: [a]
      - name: Support
        codes: [b]
`,
		want: []string{
			"theme renamed hope=Hope > hope=Searching for hope",
			"theme moved support=Support > support=Support [ > hope] [analytical > descriptive]",
		},
	}, {
		name: "theme renamed and its slug id with it",
		old:  "version: 1\nthemes:\n  - name: Feeling heard\n    codes: [a, b]\n  - name: Other\n    codes: [c]\n",
		new:  "version: 1\nthemes:\n  - name: Being listened to\n    codes: [b, a]\n  - name: Other\n    codes: [c]\n",
		want: []string{"theme renamed feeling-heard=Feeling heard > being-listened-to=Being listened to by codes"},
	}, {
		name: "two descriptive themes merged",
		old: `version: 1
themes:
  - name: Top
    themes:
      - {name: D1, codes: [a]}
      - {name: D2, codes: [b, c]}
      - {name: D3, codes: [d]}
`,
		new: `version: 1
themes:
  - name: Top
    themes:
      - {name: D12, codes: [a, b, c]}
      - {name: D3, codes: [d]}
`,
		want: []string{"theme merged d1=D1,d2=D2 > d12=D12 by codes"},
	}, {
		name: "a theme takes in another and keeps its id",
		old:  "version: 1\nthemes:\n  - {name: D1, codes: [a]}\n  - {name: D2, codes: [b]}\n",
		new:  "version: 1\nthemes:\n  - {name: D1, codes: [a, b]}\n",
		want: []string{"theme merged d1=D1,d2=D2 > d1=D1 by codes"},
	}, {
		name: "a theme split in two, codes renamed on the way",
		old:  "version: 1\ncodes: [{name: a}, {name: b}, {name: c}]\nthemes:\n  - {name: Whole, codes: [a, b, c]}\n",
		new:  "version: 1\ncodes: [{name: a}, {name: B2, aliases: [b]}, {name: c}]\nthemes:\n  - {name: Part one, codes: [a]}\n  - {name: Part two, codes: [B2, c]}\n",
		want: []string{
			"code renamed b > B2 by alias",
			"theme split whole=Whole > part-one=Part one,part-two=Part two by codes",
		},
	}, {
		name: "theme added and removed",
		old:  "version: 1\nthemes:\n  - {name: Old one, codes: [a]}\n",
		new:  "version: 1\nthemes:\n  - {name: New one, codes: [b]}\n",
		want: []string{
			"code added  > b",
			"code removed a > ",
			"theme added  > new-one=New one",
			"theme removed old-one=Old one > ",
		},
	}, {
		name:  "code renamed, seen only in the extracts",
		old:   "version: 1\nthemes:\n  - {name: T, codes: [Worry, Kept]}\n",
		new:   "version: 1\nthemes:\n  - {name: T, codes: [Anxiety, Kept]}\n",
		oldEv: Evidence{"Worry": {"E1", "E2"}, "Kept": {"E1", "E3"}},
		newEv: Evidence{"Anxiety": {"E2", "E1"}, "Kept": {"E1", "E3"}},
		want:  []string{"code renamed Worry > Anxiety by extracts"},
	}, {
		name:  "codes merged and split, seen in the extracts",
		old:   "version: 1\nthemes:\n  - {name: T, codes: [A, B, C]}\n",
		new:   "version: 1\nthemes:\n  - {name: T, codes: [AB, C1, C2]}\n",
		oldEv: Evidence{"A": {"E1"}, "B": {"E2", "E3"}, "C": {"E4", "E5", "E6"}},
		newEv: Evidence{"AB": {"E1", "E2", "E3"}, "C1": {"E4"}, "C2": {"E5", "E6"}},
		want: []string{
			"code merged A,B > AB by extracts",
			"code split C > C1,C2 by extracts",
		},
	}, {
		name:  "extracts that do not add up are not a rename",
		old:   "version: 1\nthemes:\n  - {name: T, codes: [X]}\n",
		new:   "version: 1\nthemes:\n  - {name: T, codes: [Y]}\n",
		oldEv: Evidence{"X": {"E1"}},
		newEv: Evidence{"Y": {"E1", "E2"}},
		want: []string{
			"code added  > Y",
			"code removed X > ",
			"theme codes-changed t=T > t=T [+Y -X]",
		},
	}, {
		name:  "a code absorbed into a kept code that grew",
		old:   "version: 1\nthemes:\n  - {name: T, codes: [Big, Small]}\n",
		new:   "version: 1\nthemes:\n  - {name: T, codes: [Big]}\n",
		oldEv: Evidence{"Big": {"E1", "E2"}, "Small": {"E3"}},
		newEv: Evidence{"Big": {"E1", "E2", "E3"}},
		want:  []string{"code merged Big,Small > Big by extracts"},
	}, {
		name:  "a dropped code whose extracts carried a kept, unchanged code is removed",
		old:   "version: 1\nthemes:\n  - {name: T, codes: [Big, Small]}\n",
		new:   "version: 1\nthemes:\n  - {name: T, codes: [Big]}\n",
		oldEv: Evidence{"Big": {"E1", "E2"}, "Small": {"E2"}},
		newEv: Evidence{"Big": {"E1", "E2"}},
		want: []string{
			"code removed Small > ",
			"theme codes-changed t=T > t=T [+ -Small]",
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			d := Compare(mustParse(t, []byte(tc.old)), mustParse(t, []byte(tc.new)), tc.oldEv, tc.newEv)
			got := describe(d)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

func TestContinuesAs(t *testing.T) {
	old := mustParse(t, []byte("version: 1\nthemes:\n  - {name: Keep, codes: [a]}\n  - {name: Feeling heard, codes: [b]}\n  - {name: M1, codes: [c]}\n  - {name: M2, codes: [d]}\n  - {name: Gone, codes: [e]}\n"))
	new := mustParse(t, []byte("version: 1\nthemes:\n  - {name: Keep, codes: [a]}\n  - {name: Listened to, codes: [b]}\n  - {name: M, codes: [c, d]}\n"))
	d := Compare(old, new, nil, nil)
	for id, want := range map[string]string{"keep": "keep", "feeling-heard": "listened-to", "m1": "m", "m2": "m", "gone": ""} {
		if got := d.ContinuesAs(id); got != want {
			t.Errorf("ContinuesAs(%q) = %q, want %q", id, got, want)
		}
	}
}
