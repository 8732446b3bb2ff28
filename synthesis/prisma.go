package synthesis

import (
	"fmt"
	"path/filepath"
	"sort"
)

// prismaWarnings checks that the PRISMA 2020 flow counts of synth.yaml add
// up (Page et al., BMJ 2021;372:n71, the flow diagram for new systematic
// reviews): records identified less those removed before screening are the
// records screened; records screened less those excluded are the reports
// sought, less those not retrieved the reports assessed; reports assessed
// less those excluded are the reports (or, without a reports count, the
// studies) included; exclusion reasons add up to the reports excluded; and
// the studies included are the studies of the studies table. A count that
// is absent (0) is not checked.
func (in *input) prismaWarnings(studies int) []Warning {
	c := in.p.PRISMA
	if c == nil {
		return nil
	}
	where := fmt.Sprintf("%s:%d:%d", filepath.Base(in.p.File), c.At.Line, c.At.Col)
	var w []Warning
	add := func(format string, args ...any) {
		w = append(w, Warning{Kind: WarnPRISMAArithmetic, Where: where, Message: fmt.Sprintf(format, args...)})
	}
	sum := func(m map[string]int) int {
		n := 0
		for _, v := range m {
			n += v
		}
		return n
	}
	if len(c.Databases) > 0 && c.Identified > 0 && sum(c.Databases)+c.Registers != c.Identified {
		add("prisma: the databases (%s) and registers (%d) add up to %d records, but identified is %d", listCounts(c.Databases), c.Registers, sum(c.Databases)+c.Registers, c.Identified)
	}
	identified := newPRISMA(c).RecordsIdentified()
	if identified > 0 && c.Screened > 0 && identified-c.Duplicates-c.OtherRemoved != c.Screened {
		add("prisma: %d records identified less %d duplicates and %d otherwise removed is %d, but screened is %d", identified, c.Duplicates, c.OtherRemoved, identified-c.Duplicates-c.OtherRemoved, c.Screened)
	}
	if c.Screened > 0 && c.FullText > 0 && c.Screened-c.ExcludedScreening-c.NotRetrieved != c.FullText {
		add("prisma: %d records screened less %d excluded and %d not retrieved is %d, but full_text (reports assessed for eligibility) is %d", c.Screened, c.ExcludedScreening, c.NotRetrieved, c.Screened-c.ExcludedScreening-c.NotRetrieved, c.FullText)
	}
	if c.FullText > 0 {
		left := c.FullText - c.ExcludedFullText
		switch {
		case c.Reports > 0 && left != c.Reports:
			add("prisma: %d reports assessed less %d excluded is %d, but reports (of included studies) is %d", c.FullText, c.ExcludedFullText, left, c.Reports)
		case c.Reports == 0 && c.Included > 0 && left != c.Included:
			add("prisma: %d reports assessed less %d excluded is %d, but included is %d (if some studies have several reports, give reports: too)", c.FullText, c.ExcludedFullText, left, c.Included)
		}
	}
	if c.Reports > 0 && c.Included > c.Reports {
		add("prisma: %d studies included from %d reports; a study needs at least one report", c.Included, c.Reports)
	}
	if len(c.ExclusionReasons) > 0 && sum(c.ExclusionReasons) != c.ExcludedFullText {
		add("prisma: the exclusion reasons (%s) add up to %d, but excluded_full_text is %d", listCounts(c.ExclusionReasons), sum(c.ExclusionReasons), c.ExcludedFullText)
	}
	if c.Included > 0 && in.table && c.Included != studies {
		add("prisma: included is %d, but the studies table lists %d studies", c.Included, studies)
	}
	return w
}

// listCounts writes counts by name in name order: "Embase 12, MEDLINE 30".
func listCounts(m map[string]int) string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	out := ""
	for i, k := range names {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%s %d", k, m[k])
	}
	return out
}

// RecordsIdentified is the number of records identified: identified when
// given, else the databases' and registers' records added up (0 when
// neither is given).
func (c *PRISMA) RecordsIdentified() int {
	if c.Identified > 0 {
		return c.Identified
	}
	n := c.Registers
	for _, v := range c.Databases {
		n += v
	}
	return n
}

// ReportsSought is the number of reports sought for retrieval (PRISMA 2020):
// the records screened less those excluded when both are given, else the
// reports assessed plus those not retrieved when full_text is given, else 0.
func (c *PRISMA) ReportsSought() int {
	switch {
	case c.Screened > 0 && c.ExcludedScreening > 0:
		return c.Screened - c.ExcludedScreening
	case c.FullText > 0:
		return c.FullText + c.NotRetrieved
	}
	return 0
}
