package sheet

import (
	"path/filepath"
	"strings"
)

// csvDelims are the delimiters sniffDelim chooses from, in the order it
// prefers them when the text cannot tell them apart.
var csvDelims = [...]byte{',', ';', '\t', '|'}

// csvSniffRecords is how many non-blank records of the prefix are looked at.
const csvSniffRecords = 50

// delimHint is the delimiter the file name suggests, or 0. .csv and .txt say
// nothing: European Excel writes ";" into .csv, and "Unicode Text" .txt files
// are tab separated.
func delimHint(path string) byte {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".tsv", ".tab":
		return '\t'
	case ".psv":
		return '|'
	case ".ssv":
		return ';'
	}
	return 0
}

// sniffDelim picks the delimiter of text, the decoded start of a file.
//
// For each candidate it counts the occurrences outside quoted fields in each
// of the first 50 non-blank records, takes the most common non-zero count
// (the number of columns minus one, if it is the delimiter) and counts the
// records that have exactly that many: its hits. Title lines, notes and
// free text with stray commas then cost a wrong candidate hits, while a
// delimiter that splits every record into the same columns keeps them. The
// candidate with most hits wins; on equal hits the one that makes more
// columns; then the order , ; tab |.
//
// The extension's hint is taken when the hinted delimiter is in at least
// half of the records (so a .tsv that holds commas is still read right), and
// when no candidate occurs at all. When the prefix was cut (truncated), its
// last record may be incomplete and is not looked at.
func sniffDelim(text []byte, hint byte, truncated bool) byte {
	counts := delimCounts(text, truncated)
	var hits, mode [len(csvDelims)]int
	for k := range csvDelims {
		hits[k], mode[k] = modeHits(counts, k)
	}
	best := -1
	for k, d := range csvDelims {
		if hits[k] == 0 {
			continue
		}
		if d == hint && 2*hits[k] >= len(counts) {
			return d
		}
		if best < 0 || hits[k] > hits[best] || hits[k] == hits[best] && mode[k] > mode[best] {
			best = k
		}
	}
	switch {
	case best >= 0:
		return csvDelims[best]
	case hint != 0:
		return hint
	}
	return ','
}

// modeHits returns, for candidate k, how many records share its most
// common non-zero count, and that count. Ties go to the larger count.
func modeHits(counts [][len(csvDelims)]int, k int) (hits, mode int) {
	freq := map[int]int{}
	for _, c := range counts {
		if n := c[k]; n > 0 {
			freq[n]++
			if freq[n] > hits || freq[n] == hits && n > mode {
				hits, mode = freq[n], n
			}
		}
	}
	return hits, mode
}

// delimCounts counts each candidate outside quotes in each non-blank record
// of text, for up to csvSniffRecords records. A double quote opens a quoted
// field at the start of a record or after any candidate, as the reader
// would for the candidate that turns out to be the delimiter.
func delimCounts(text []byte, truncated bool) [][len(csvDelims)]int {
	var out [][len(csvDelims)]int
	var cur [len(csvDelims)]int
	blank, fieldStart, inQuote := true, true, false
	endRecord := func() {
		if !blank {
			out = append(out, cur)
		}
		cur = [len(csvDelims)]int{}
		blank, fieldStart = true, true
	}
	for i := 0; i < len(text) && len(out) < csvSniffRecords; i++ {
		c := text[i]
		if inQuote {
			if c == '"' {
				if i+1 < len(text) && text[i+1] == '"' {
					i++
				} else {
					inQuote = false
				}
			}
			continue
		}
		switch c {
		case '\r', '\n':
			endRecord()
			continue
		case '"':
			inQuote = fieldStart
		}
		blank = false
		fieldStart = false
		for k, d := range csvDelims {
			if c == d {
				cur[k]++
				fieldStart = true
			}
		}
	}
	if !truncated && len(out) < csvSniffRecords {
		endRecord()
	}
	return out
}
