package domain

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSniffFileType(t *testing.T) {
	tests := []struct {
		head string
		ext  string // "" = refused
	}{
		{"%PDF-1.7\n%\xe2\xe3", "pdf"},
		{"\xff\xd8\xff\xe0\x00\x10JFIF", "jpg"},
		{"\x89PNG\r\n\x1a\n\x00\x00", "png"},
		{"PK\x03\x04\x14\x00", "zip"},
		{"PK\x05\x06\x00\x00", "zip"},
		{"Rar!\x1a\x07\x00\xcf\x90", "rar"},     // RAR 4
		{"Rar!\x1a\x07\x01\x00\x33\x92", "rar"}, // RAR 5
		{"7z\xbc\xaf\x27\x1c\x00\x04", "7z"},
		{"Rar!\x1a", ""},   // too short to tell
		{"7z\xbc\xaf", ""}, // too short to tell
		{"Rar!\x1a\x07\x02", ""},
		{"MZ\x90\x00\x03\x00", ""}, // a Windows executable
		{"\x7fELF\x02\x01", ""},
		{"GIF89a", ""},
		{"<html>", ""},
		{"%PD", ""}, // too short to tell
		{"", ""},
	}
	for _, tt := range tests {
		ft, ok := SniffFileType([]byte(tt.head))
		if got := ft.Ext; ok != (tt.ext != "") || got != tt.ext {
			t.Errorf("SniffFileType(%q) = %q, %v; want %q", tt.head, got, ok, tt.ext)
		}
	}
}

func TestCleanFileName(t *testing.T) {
	pdf, _ := SniffFileType([]byte("%PDF-"))
	png, _ := SniffFileType([]byte("\x89PNG\r\n\x1a\n"))
	tests := []struct {
		name string
		t    FileType
		want string
	}{
		{"毕业证.pdf", pdf, "毕业证.pdf"},
		{"毕业证.PDF", pdf, "毕业证.pdf"},
		{"C:\\Users\\张三\\Desktop\\毕业证.pdf", pdf, "毕业证.pdf"},
		{"../../etc/passwd", pdf, "passwd.pdf"},
		{"证书.pdf", png, "证书.png"},
		{"setup.exe", pdf, "setup.pdf"},
		{"a<b>c:d|e?f*g\"h.pdf", pdf, "abcdefgh.pdf"},
		{"  社保\t证明\n 2025 .pdf", pdf, "社保 证明 2025.pdf"},
		{"2025.11 毕业证书", pdf, "2025.11 毕业证书.pdf"},
		{"", pdf, "附件.pdf"},
		{".pdf", pdf, "附件.pdf"},
		{"...", png, "附件.png"},
		{"bad\xffutf8.pdf", pdf, "badutf8.pdf"},
	}
	for _, tt := range tests {
		if got := CleanFileName(tt.name, tt.t); got != tt.want {
			t.Errorf("CleanFileName(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
	long := CleanFileName(strings.Repeat("长", 200)+".pdf", pdf)
	if n := utf8.RuneCountInString(long); n != MaxFileNameLength || !strings.HasSuffix(long, ".pdf") {
		t.Errorf("long name: %d runes, %q", n, long)
	}
}
