package domain

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestWxThing(t *testing.T) {
	thirty := strings.Repeat("职", 30)
	tests := []struct{ in, want string }{
		{"人工智能训练师", "人工智能训练师"},
		{strings.Repeat("字", 20), strings.Repeat("字", 20)},
		{strings.Repeat("字", 21), strings.Repeat("字", 19) + "…"},
		{thirty, strings.Repeat("职", 19) + "…"},
		{"  广东岭南\n现代  技师学院 ", "广东岭南 现代 技师学院"},
		{"", ""},
	}
	for _, tt := range tests {
		got := WxThing(tt.in)
		if got != tt.want {
			t.Errorf("WxThing(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if utf8.RuneCountInString(got) > WxThingMax {
			t.Errorf("WxThing(%q) has %d characters", tt.in, utf8.RuneCountInString(got))
		}
	}
	// The brief's case: a 30-character occupation name becomes 19 characters plus "…".
	got := []rune(WxThing(thirty))
	if len(got) != 20 || got[19] != '…' {
		t.Errorf("30 characters -> %q", string(got))
	}
}

func TestWxPhrase(t *testing.T) {
	tests := []struct{ in, want string }{
		{"审核通过", "审核通过"},
		{"已提交（待审核）", "已提交待审"},
		{"退回修改 OK", "退回修改"},
		{"abc", ""},
	}
	for _, tt := range tests {
		if got := WxPhrase(tt.in); got != tt.want {
			t.Errorf("WxPhrase(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWxCharacterString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2501", "2501"},
		{"S000000000000002000001", "S000000000000002000001"},
		{"编号 AB-12", "AB-12"},
		{strings.Repeat("9", 40), strings.Repeat("9", 32)},
	}
	for _, tt := range tests {
		if got := WxCharacterString(tt.in); got != tt.want {
			t.Errorf("WxCharacterString(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWxName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"张三", "张三"},
		{"买买提·艾合买提江·阿不都", "买买提·艾合买提江·"},
		{"John Smith", "John Smith"},
		{"Alexander Maximilian Smith", "Alexander Maximilian"},
		{" 李 四 ", "李 四"},
	}
	for _, tt := range tests {
		if got := WxName(tt.in); got != tt.want {
			t.Errorf("WxName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWxTime(t *testing.T) {
	if got := WxTime(time.Date(2025, 11, 13, 1, 0, 0, 0, time.UTC)); got != "2025年11月13日 09:00" {
		t.Errorf("WxTime = %q", got)
	}
}
