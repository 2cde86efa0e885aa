package domain

import (
	"bytes"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FileType is an accepted attachment type: recognised from the file's first bytes,
// never from its name.
type FileType struct {
	Ext         string // canonical extension, without the dot: "pdf"
	ContentType string // MIME type sent on download
}

// fileTypes are the attachment types DOMAIN.md accepts: compressed (zip, rar, 7z),
// PDF and images, each with its signature. Archives are stored as sent and never
// unpacked on the server.
var fileTypes = []struct {
	magic [][]byte
	t     FileType
}{
	{[][]byte{[]byte("%PDF-")}, FileType{Ext: "pdf", ContentType: "application/pdf"}},
	{[][]byte{{0xFF, 0xD8, 0xFF}}, FileType{Ext: "jpg", ContentType: "image/jpeg"}},
	{[][]byte{{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}}, FileType{Ext: "png", ContentType: "image/png"}},
	// A zip starts with a local file header, or is empty (end of central directory).
	{[][]byte{[]byte("PK\x03\x04"), []byte("PK\x05\x06")}, FileType{Ext: "zip", ContentType: "application/zip"}},
	// RAR 1.5–4.x ("Rar!\x1a\x07\x00") and RAR 5 ("Rar!\x1a\x07\x01\x00").
	{[][]byte{[]byte("Rar!\x1a\x07\x00"), []byte("Rar!\x1a\x07\x01\x00")}, FileType{Ext: "rar", ContentType: "application/vnd.rar"}},
	{[][]byte{{'7', 'z', 0xBC, 0xAF, 0x27, 0x1C}}, FileType{Ext: "7z", ContentType: "application/x-7z-compressed"}},
}

// SniffLen is how many leading bytes SniffFileType needs at most.
const SniffLen = 16

// SniffFileType recognises an accepted attachment type from the first bytes of a
// file (at least SniffLen when the file is that long). ok is false for anything
// else — an .exe renamed .pdf included.
func SniffFileType(head []byte) (FileType, bool) {
	for _, ft := range fileTypes {
		for _, m := range ft.magic {
			if bytes.HasPrefix(head, m) {
				return ft.t, true
			}
		}
	}
	return FileType{}, false
}

// AcceptedFileTypesText names the accepted types for messages.
const AcceptedFileTypesText = "zip、rar、7z、pdf、jpg、png"

// MaxFileNameLength is the most characters a stored attachment name keeps.
const MaxFileNameLength = 80

// CleanFileName makes an uploaded file's name safe to store and to offer on
// download: only the last path element is kept, control characters and the
// characters Windows forbids (\ / : * ? " < > |) are dropped, spaces are squeezed,
// the stem is cut to fit MaxFileNameLength, and the extension is the one of the
// detected type (a PNG sent as "证书.pdf" becomes "证书.png"). An empty stem
// becomes "附件".
func CleanFileName(name string, t FileType) string {
	name = strings.ToValidUTF8(name, "")
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(name)
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return ' '
		case unicode.IsControl(r), strings.ContainsRune(`/:*?"<>|`, r), r == utf8.RuneError:
			return -1
		}
		return r
	}, name)
	name = strings.Join(strings.Fields(name), " ")
	stem := name
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		ext := strings.ToLower(name[i+1:])
		// A short suffix is an extension (right or wrong): the detected one replaces it.
		if len(ext) <= 5 && !strings.ContainsRune(ext, ' ') {
			stem = name[:i]
		}
	}
	stem = strings.Trim(stem, " .")
	if stem == "" {
		stem = "附件"
	}
	if r := []rune(stem); len(r) > MaxFileNameLength-len(t.Ext)-1 {
		stem = strings.TrimRight(string(r[:MaxFileNameLength-len(t.Ext)-1]), " .")
	}
	return stem + "." + t.Ext
}
