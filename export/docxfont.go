package export

import "unicode"

// Widths of the supplement's text for laying out its tables. The document
// asks for Calibri; where it is missing LibreOffice falls back to Carlito
// (the same widths) or, without Carlito, to DejaVu Sans, which is a fifth
// wider. Columns are sized with DejaVu Sans's widths, so that a word that
// fits a column in it fits in Calibri too.

// docxTableEm is the em of 9 pt table text in twips.
const docxTableEm = 180

// dejaVuSans and dejaVuSansBold are the advance widths of printable ASCII,
// U+0020 to U+007E, in thousandths of an em, read from DejaVuSans.ttf and
// DejaVuSans-Bold.ttf (version 2.37).
var (
	dejaVuSans = [95]uint16{
		317, 400, 459, 837, 636, 950, 779, 274, 390, 390, 500, 837, 317, 360, 317, 336,
		636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 336, 336, 837, 837, 837, 530,
		1000, 684, 686, 698, 770, 631, 575, 774, 751, 294, 294, 655, 557, 862, 748, 787,
		603, 787, 694, 634, 610, 731, 684, 988, 685, 610, 685, 390, 336, 390, 837, 500,
		500, 612, 634, 549, 634, 615, 352, 634, 633, 277, 277, 579, 277, 974, 633, 611,
		634, 634, 411, 520, 392, 633, 591, 817, 591, 591, 524, 636, 336, 636, 837,
	}
	dejaVuSansBold = [95]uint16{
		348, 456, 520, 837, 695, 1001, 872, 306, 457, 457, 522, 837, 379, 415, 379, 365,
		695, 695, 695, 695, 695, 695, 695, 695, 695, 695, 399, 399, 837, 837, 837, 580,
		1000, 773, 762, 733, 830, 683, 683, 820, 836, 372, 372, 774, 637, 995, 836, 850,
		732, 850, 770, 720, 682, 812, 773, 1103, 770, 724, 725, 457, 365, 457, 837, 500,
		500, 674, 715, 592, 715, 678, 435, 715, 711, 342, 342, 665, 342, 1041, 711, 687,
		715, 715, 493, 595, 478, 711, 651, 923, 645, 651, 582, 711, 365, 711, 837,
	}
)

// textTwips is the width of s set in 9 pt table text, bold or not, in
// twips. Letters outside ASCII take the width of a capital (an accented
// letter is as wide as its base, or less), wide East Asian characters an
// em, combining marks nothing.
func textTwips(s string, bold bool) int {
	widths := &dejaVuSans
	if bold {
		widths = &dejaVuSansBold
	}
	em := 0
	for _, r := range s {
		switch {
		case r >= 0x20 && r < 0x7f:
			em += int(widths[r-0x20])
		case unicode.Is(unicode.Mn, r):
		case runeWidth(r) == 2:
			em += 1000
		default:
			em += 780
		}
	}
	return (em*docxTableEm + 999) / 1000
}
