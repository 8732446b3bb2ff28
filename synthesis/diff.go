package synthesis

import (
	"github.com/synth-qda/synth/codebook"
	"github.com/synth-qda/synth/internal/fold"
)

// Diff is what changed between two builds of a synthesis, typically before
// and after a round of codebook revision: the codebook's changes and each
// theme's support before and after.
type Diff struct {
	Codebook *codebook.Diff
	// Support has one entry per NEW theme, in NEW codebook order, then one
	// per OLD theme that goes on as no NEW theme (removed or split), in
	// OLD codebook order.
	Support []ThemeSupportChange
}

// ThemeSupportChange compares a theme's support (its distinct extracts and
// studies over its code closure) in two builds.
//
// A NEW theme's "before" is the support, taken together, of the OLD themes
// it continues (codebook.Diff.ContinuesAs): itself under the same id, the
// theme it was renamed from, the themes merged into it. A NEW theme that
// continues none (added, or split off) had no support before; an OLD theme
// that goes on as none (removed, or split) has none after.
//
// Extracts are matched by their ID (the ID column, else the place of their
// first row, so keep an ID column for a fair comparison); studies by their
// ID after fold.Key. Studies are named by their label, NEW's where the study
// is in NEW.
type ThemeSupportChange struct {
	OldIDs []string `json:"old_ids"` // the OLD themes it continues; [] when none
	NewID  string   `json:"new_id"`  // "" for an OLD theme that goes on as none
	Name   string   `json:"name"`    // the NEW name, else the OLD one

	StudiesBefore  int `json:"studies_before"`
	StudiesAfter   int `json:"studies_after"`
	ExtractsBefore int `json:"extracts_before"`
	ExtractsAfter  int `json:"extracts_after"`
	// StudiesGained are the studies supporting it only after (NEW study
	// order), StudiesLost only before (OLD study order), by label.
	StudiesGained []string `json:"studies_gained"`
	StudiesLost   []string `json:"studies_lost"`
	// ExtractsGained and ExtractsLost count the extracts supporting it only
	// after and only before.
	ExtractsGained int `json:"extracts_gained"`
	ExtractsLost   int `json:"extracts_lost"`
}

// Changed reports whether the theme's support differs.
func (s *ThemeSupportChange) Changed() bool {
	return s.ExtractsGained+s.ExtractsLost+len(s.StudiesGained)+len(s.StudiesLost) > 0
}

// Evidence gives the extracts that carry each code: the ids of r's extracts
// by the codes applied to them, for codebook.Compare.
func (r *Result) Evidence() codebook.Evidence {
	ev := codebook.Evidence{}
	for _, e := range r.Extracts.All() {
		for _, c := range e.Codes {
			ev[c] = append(ev[c], e.ID)
		}
	}
	return ev
}

// CompareResults compares two builds: codebook.Compare of their codebooks,
// with the extracts of each code as evidence, and the support of every
// theme (see ThemeSupportChange).
func CompareResults(old, new *Result) *Diff {
	d := &Diff{Codebook: codebook.Compare(old.Codebook, new.Codebook, old.Evidence(), new.Evidence())}
	origins := map[string][]*ThemeStat{}
	continued := map[string]bool{}
	for _, ts := range old.Themes {
		if to := d.Codebook.ContinuesAs(ts.ID); to != "" {
			origins[to] = append(origins[to], ts)
			continued[ts.ID] = true
		}
	}
	label := map[string]string{} // fold.Key(study id) → label, NEW's first
	for _, r := range []*Result{new, old} {
		for _, s := range r.Studies {
			if k := fold.Key(s.ID); label[k] == "" {
				label[k] = s.Label
			}
		}
	}
	for _, ts := range new.Themes {
		c := ThemeSupportChange{OldIDs: []string{}, NewID: ts.ID, Name: ts.Name}
		for _, o := range origins[ts.ID] {
			c.OldIDs = append(c.OldIDs, o.ID)
		}
		fillSupport(&c, origins[ts.ID], []*ThemeStat{ts}, old, new, label)
		d.Support = append(d.Support, c)
	}
	for _, ts := range old.Themes {
		if continued[ts.ID] {
			continue
		}
		c := ThemeSupportChange{OldIDs: []string{ts.ID}, Name: ts.Name}
		fillSupport(&c, []*ThemeStat{ts}, nil, old, new, label)
		d.Support = append(d.Support, c)
	}
	return d
}

// fillSupport fills c from the themes before (of old) and after (of new).
func fillSupport(c *ThemeSupportChange, before, after []*ThemeStat, old, new *Result, label map[string]string) {
	exB, stB := supportOf(before)
	exA, stA := supportOf(after)
	c.ExtractsBefore, c.ExtractsAfter = len(exB), len(exA)
	c.StudiesBefore, c.StudiesAfter = len(stB), len(stA)
	for id := range exA {
		if !exB[id] {
			c.ExtractsGained++
		}
	}
	for id := range exB {
		if !exA[id] {
			c.ExtractsLost++
		}
	}
	c.StudiesGained = []string{}
	for _, s := range new.Studies {
		if k := fold.Key(s.ID); stA[k] && !stB[k] {
			c.StudiesGained = append(c.StudiesGained, label[k])
		}
	}
	c.StudiesLost = []string{}
	for _, s := range old.Studies {
		if k := fold.Key(s.ID); stB[k] && !stA[k] {
			c.StudiesLost = append(c.StudiesLost, label[k])
		}
	}
}

// supportOf gives the distinct extract ids and study keys supporting any
// of themes.
func supportOf(themes []*ThemeStat) (extracts, studies map[string]bool) {
	extracts, studies = map[string]bool{}, map[string]bool{}
	for _, ts := range themes {
		for _, e := range ts.Extracts.All() {
			extracts[e.ID] = true
		}
		for _, s := range ts.Studies { // each once, where extracts repeat them
			studies[fold.Key(s.ID)] = true
		}
	}
	return extracts, studies
}
