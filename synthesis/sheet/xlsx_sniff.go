package sheet

// Telling what a file that is not an xlsx workbook is, before the zip
// reader gets to say "not a valid zip file" about all of them alike.
// Reviewers meet these every week: a workbook with a password to open (an
// OLE compound file holding EncryptionInfo and EncryptedPackage), an old
// .xls renamed .xlsx (a compound file holding a Workbook stream), an
// OpenDocument spreadsheet renamed, a download cut short.

import (
	"bytes"
	"encoding/binary"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

var (
	cfbMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	zipMagic = []byte("PK\x03\x04")
	// An empty archive is only an end-of-central-directory record.
	zipEmptyMagic = []byte("PK\x05\x06")
)

const (
	msgEncrypted = "the workbook is password-protected (encrypted); save an unprotected copy (File › Info › Protect Workbook › remove the password) and try again"
	msgLegacyXLS = "this is a legacy Excel 97–2003 .xls file renamed .xlsx; open it in Excel or LibreOffice and save it as .xlsx"
	msgODS       = "this is an OpenDocument spreadsheet (.ods), not an xlsx workbook; open it in LibreOffice or Excel and save it as .xlsx"
	msgTruncated = "the file is damaged or truncated (not a complete zip archive); copy or download it again, or open it in Excel and save it as .xlsx"
	msgEmpty     = "the file is empty (0 bytes); copy or download it again"
)

// sniffNotZip classifies a file that does not start like a zip archive. head
// is its first bytes; r reads the whole file (size bytes). sure is false
// when nothing was recognised.
func sniffNotZip(head []byte, r io.ReaderAt, size int64) (msg string, sure bool) {
	msg = sniffKind(head, r, size)
	return msg, msg != msgNotZip
}

const msgNotZip = "this is not an xlsx workbook (not a zip archive); open it in the program that made it and save it as .xlsx"

func sniffKind(head []byte, r io.ReaderAt, size int64) string {
	if bytes.HasPrefix(head, cfbMagic) {
		names, ok := cfbStreamNames(r, size)
		switch {
		case !ok:
			return "this is an OLE compound file (the format of Office 97–2003 and of password-protected workbooks), not an xlsx workbook, and it looks damaged; open it in Excel and save it as .xlsx"
		case names["EncryptionInfo"] || names["EncryptedPackage"]:
			return msgEncrypted
		case names["Workbook"] || names["Book"]:
			return msgLegacyXLS
		case names["WordDocument"]:
			return "this is a Word 97–2003 .doc document renamed .xlsx, not a workbook; save the table as .xlsx from Excel"
		}
		return "this is an OLE compound file (an Office 97–2003 document), not an xlsx workbook; open it in the program that made it and save it as .xlsx"
	}
	text := bytes.TrimLeft(bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF}), " \t\r\n")
	switch {
	case bytes.HasPrefix(text, []byte("<")):
		lower := bytes.ToLower(text)
		switch {
		case bytes.Contains(lower, []byte("urn:schemas-microsoft-com:office:spreadsheet")) || bytes.Contains(lower, []byte("excel.sheet")):
			return "this is an Excel 2003 XML spreadsheet renamed .xlsx, not an xlsx workbook; open it in Excel and save it as .xlsx"
		case bytes.Contains(lower, []byte("<html")) || bytes.Contains(lower, []byte("<!doctype html")):
			return "this is a web page (HTML) renamed .xlsx, not an xlsx workbook; open it in Excel and save it as .xlsx"
		}
		return "this is an XML or HTML text file renamed .xlsx, not an xlsx workbook; open it in Excel and save it as .xlsx"
	case bytes.HasPrefix(head, []byte("PK")):
		return msgTruncated
	case looksLikeText(head):
		return "this is a text file (CSV?) renamed .xlsx, not an xlsx workbook; give it the .csv extension, or open it in Excel and save it as .xlsx"
	}
	return msgNotZip
}

// looksLikeText reports whether b is UTF-8 or UTF-16 text without control
// characters other than white space.
func looksLikeText(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		return true
	}
	// A cut-off rune at the end of the sniffed bytes is not a problem.
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 && len(b) >= utf8.UTFMax {
			return false
		}
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return false
		}
		b = b[n:]
	}
	return true
}

// cfbStreamNames lists the names of the directory entries of an OLE
// compound file (MS-CFB), following the FAT chain of the directory. It is
// only as much of the format as is needed to tell an encrypted workbook from
// an .xls; ok is false when the structure does not hold together. Every
// read is bounds-checked and the chain walk is bounded by the number of
// sectors in the file, so garbage cannot make it loop or panic.
func cfbStreamNames(r io.ReaderAt, size int64) (names map[string]bool, ok bool) {
	hdr := make([]byte, 512)
	if size < 512 {
		return nil, false
	}
	if _, err := r.ReadAt(hdr, 0); err != nil {
		return nil, false
	}
	le32 := binary.LittleEndian.Uint32
	shift := binary.LittleEndian.Uint16(hdr[0x1E:])
	if shift != 9 && shift != 12 {
		return nil, false
	}
	secSize := int64(1) << shift
	nSectors := (size - 512 + secSize - 1) / secSize // upper bound for any chain
	const (
		endOfChain = 0xFFFFFFFE
		maxRegSect = 0xFFFFFFFA
	)

	// The FAT sectors: the first 109 are listed in the header, the rest in
	// the DIFAT chain.
	// A broken FAT still leaves the first directory sector readable, so
	// problems here only shorten the FAT.
	nFAT := min(int64(le32(hdr[0x2C:])), nSectors)
	fat := make([]uint32, 0, nFAT)
	for i := 0; i < 109 && int64(len(fat)) < nFAT; i++ {
		fat = append(fat, le32(hdr[0x4C+4*i:]))
	}
	sector := make([]byte, secSize)
	readSector := func(id uint32) bool {
		if int64(id) >= nSectors {
			return false
		}
		n, err := r.ReadAt(sector, (int64(id)+1)*secSize)
		if err != nil && !(err == io.EOF && n > 0) {
			return false
		}
		clear(sector[n:])
		return true
	}
	difat := le32(hdr[0x44:])
	for steps := int64(0); int64(len(fat)) < nFAT && difat < maxRegSect; steps++ {
		if steps > nSectors || !readSector(difat) {
			break
		}
		per := int(secSize/4) - 1
		for i := 0; i < per && int64(len(fat)) < nFAT; i++ {
			fat = append(fat, le32(sector[4*i:]))
		}
		difat = le32(sector[4*per:])
	}

	// next returns the sector after id in its chain.
	perFAT := uint32(secSize / 4)
	fatSector := make([]byte, secSize)
	cached := uint32(maxRegSect)
	next := func(id uint32) (uint32, bool) {
		idx := id / perFAT
		if int(idx) >= len(fat) {
			return 0, false
		}
		if fat[idx] != cached {
			if int64(fat[idx]) >= nSectors {
				return 0, false
			}
			n, err := r.ReadAt(fatSector, (int64(fat[idx])+1)*secSize)
			if err != nil && !(err == io.EOF && n > 0) {
				return 0, false
			}
			clear(fatSector[n:])
			cached = fat[idx]
		}
		return le32(fatSector[4*(id%perFAT):]), true
	}

	names = make(map[string]bool)
	dir := le32(hdr[0x30:])
	for steps := int64(0); dir != endOfChain; steps++ {
		if dir >= maxRegSect || steps > nSectors || !readSector(dir) {
			break
		}
		for off := int64(0); off+128 <= secSize; off += 128 {
			e := sector[off : off+128]
			nameLen := int(binary.LittleEndian.Uint16(e[0x40:]))
			kind := e[0x42]
			if kind == 0 || nameLen < 2 || nameLen > 64 || nameLen%2 != 0 {
				continue // unused entry
			}
			u := make([]uint16, nameLen/2-1)
			for i := range u {
				u[i] = binary.LittleEndian.Uint16(e[2*i:])
			}
			names[string(utf16.Decode(u))] = true
		}
		var ok bool
		if dir, ok = next(dir); !ok {
			break
		}
	}
	return names, len(names) > 0
}
