package codebook

import (
	"fmt"
	"strings"

	"github.com/synth-qda/synth/internal/fold"
)

// Concern values, normalised.
const (
	ConcernNone     = "none" // no or very minor concerns
	ConcernMinor    = "minor"
	ConcernModerate = "moderate"
	ConcernSerious  = "serious"
)

// Confidence values, normalised.
const (
	ConfidenceHigh     = "high"
	ConfidenceModerate = "moderate"
	ConfidenceLow      = "low"
	ConfidenceVeryLow  = "very-low"
)

// WarnCERQualInconsistent is the kind of a warning about a CERQual
// assessment whose overall confidence does not follow from its components.
//
// GRADE-CERQual starts every finding at high confidence and downgrades it for
// concerns about methodological limitations, coherence, adequacy and
// relevance. The overall rating is a judgement, not a sum, so only clear
// contradictions are flagged. With S components of serious concern, M of
// moderate concern and A components assessed (of four), Parse warns when:
//   - confidence is high but S ≥ 1 or M ≥ 2: those concerns should have lowered it;
//   - confidence is moderate but S ≥ 2: two serious concerns leave at most low;
//   - confidence is low, A = 4 and every concern is none: nothing to downgrade for;
//   - confidence is very-low, A = 4 and no concern is above minor: likewise;
//   - A ≥ 1 and confidence is missing: the assessment lacks its conclusion.
//
// The warning's Where is the cerqual: mapping of the theme.
const WarnCERQualInconsistent = "cerqual-inconsistent"

// concern normalises a concern as reviewers write it: case and spacing do
// not matter, a trailing "concern(s)" is dropped, and "no or very minor",
// "very minor" and "no" mean none.
func concern(s string) (string, bool) {
	k := strings.TrimSuffix(strings.TrimSuffix(fold.Key(s), " concerns"), " concern")
	switch k {
	case "none", "no", "no or very minor", "none or very minor", "very minor":
		return ConcernNone, true
	case ConcernMinor, ConcernModerate, ConcernSerious:
		return k, true
	}
	return "", false
}

// confidence normalises an overall confidence: case does not matter,
// "very low" and "very_low" mean very-low, a trailing "confidence" is dropped.
func confidence(s string) (string, bool) {
	k := strings.TrimSuffix(fold.Key(s), " confidence")
	k = strings.NewReplacer(" ", "-", "_", "-").Replace(k)
	switch k {
	case ConfidenceHigh, ConfidenceModerate, ConfidenceLow, ConfidenceVeryLow:
		return k, true
	}
	return "", false
}

// cerqual reads a theme's assessment. A value that is not a concern or a
// confidence is an error; an empty one means "not assessed".
func (p *parser) cerqual(t *Theme, y *cerqualYAML) (*CERQual, error) {
	cq := &CERQual{Explanation: strings.TrimSpace(y.Explanation)}
	components := []struct {
		name string
		y    *componentYAML
		c    *Component
	}{
		{"methodological_limitations", y.MethodologicalLimitations, &cq.MethodologicalLimitations},
		{"coherence", y.Coherence, &cq.Coherence},
		{"adequacy", y.Adequacy, &cq.Adequacy},
		{"relevance", y.Relevance, &cq.Relevance},
	}
	for _, comp := range components {
		if comp.y == nil {
			continue
		}
		comp.c.Explanation = strings.TrimSpace(comp.y.Explanation)
		v := comp.y.Concern
		if strings.TrimSpace(v.Value) == "" {
			continue
		}
		n, ok := concern(v.Value)
		if !ok {
			return nil, p.errorf(v.Line, v.Col, "%s concern %q is not one of none, minor, moderate, serious", comp.name, v.Value)
		}
		comp.c.Concern = n
	}
	if v := y.Confidence; strings.TrimSpace(v.Value) != "" {
		n, ok := confidence(v.Value)
		if !ok {
			return nil, p.errorf(v.Line, v.Col, "confidence %q is not one of high, moderate, low, very-low", v.Value)
		}
		cq.Confidence = n
	}
	if msg := cq.inconsistency(); msg != "" {
		p.cb.Warnings = append(p.cb.Warnings, Warning{
			Kind:    WarnCERQualInconsistent,
			Message: fmt.Sprintf("theme %q: %s", t.Name, msg),
			Where:   fmt.Sprintf("%s:%d:%d", p.file, y.At.Line, y.At.Col),
		})
	}
	return cq, nil
}

// inconsistency says why the overall confidence does not follow from the
// components (the rules are listed at WarnCERQualInconsistent), or returns "".
func (cq *CERQual) inconsistency() string {
	var serious, moderate, assessed, aboveNone int
	for _, c := range []Component{cq.MethodologicalLimitations, cq.Coherence, cq.Adequacy, cq.Relevance} {
		if c.Concern == "" {
			continue
		}
		assessed++
		switch c.Concern {
		case ConcernSerious:
			serious++
		case ConcernModerate:
			moderate++
		}
		if c.Concern != ConcernNone {
			aboveNone++
		}
	}
	switch {
	case cq.Confidence == "" && assessed > 0:
		return "components are assessed but the overall confidence is missing; add confidence: high, moderate, low or very-low"
	case cq.Confidence == ConfidenceHigh && serious > 0:
		return fmt.Sprintf("confidence is high despite %s; a serious concern should lower it", plural(serious, "serious concern"))
	case cq.Confidence == ConfidenceHigh && moderate >= 2:
		return fmt.Sprintf("confidence is high despite %s; check whether they lower it", plural(moderate, "moderate concern"))
	case cq.Confidence == ConfidenceModerate && serious >= 2:
		return fmt.Sprintf("confidence is moderate despite %s; check whether they lower it", plural(serious, "serious concern"))
	case cq.Confidence == ConfidenceLow && assessed == 4 && aboveNone == 0:
		return "confidence is low although no component has any concern; check the rating"
	case cq.Confidence == ConfidenceVeryLow && assessed == 4 && serious+moderate == 0:
		return "confidence is very low although no component has more than minor concerns; check the rating"
	}
	return ""
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
