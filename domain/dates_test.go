package domain

import (
	"testing"
	"time"
)

func TestBeijing(t *testing.T) {
	_, off := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC).In(Beijing).Zone()
	if off != 8*3600 {
		t.Errorf("Beijing offset = %d", off)
	}
	if Beijing.String() != "Asia/Shanghai" {
		t.Errorf("Beijing = %s (tzdata not embedded?)", Beijing)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"2025-11-13", true},
		{"2024-02-29", true},
		{"2025-02-29", false},
		{"1999-02-30", false},
		{"2025-13-01", false},
		{"2025-1-3", false},
		{"2025/11/13", false},
		{" 2025-11-13", false},
		{"2025-11-13T00:00", false},
		{"", false},
	}
	for _, tt := range tests {
		d, ok := ParseDate(tt.in)
		if ok != tt.ok || ValidDate(tt.in) != tt.ok {
			t.Errorf("ParseDate(%q) ok = %v, want %v", tt.in, ok, tt.ok)
		}
		if ok && (d.Location() != Beijing || d.Format(DateLayout) != tt.in || d.Hour() != 0) {
			t.Errorf("ParseDate(%q) = %v", tt.in, d)
		}
	}
}

func TestDayEnd(t *testing.T) {
	end := DayEnd("2025-11-13")
	want := time.Date(2025, 11, 13, 16, 0, 0, 0, time.UTC) // 2025-11-14 00:00 Beijing
	if !end.Equal(want) {
		t.Fatalf("DayEnd = %v, want %v", end, want)
	}
	tests := []struct {
		now  time.Time
		open bool
	}{
		{time.Date(2025, 11, 13, 15, 59, 59, 0, time.UTC), true}, // 23:59:59 Beijing
		{time.Date(2025, 11, 13, 16, 0, 0, 0, time.UTC), false},  // 24:00 Beijing
		{time.Date(2025, 11, 13, 20, 0, 0, 0, time.UTC), false},  // still the 13th in UTC
	}
	for _, tt := range tests {
		if got := tt.now.Before(end); got != tt.open {
			t.Errorf("open at %v = %v, want %v", tt.now, got, tt.open)
		}
	}
	if !DayEnd("2025-12-31").Equal(time.Date(2025, 12, 31, 16, 0, 0, 0, time.UTC)) {
		t.Error("DayEnd across a year")
	}
	if !DayEnd("bad").IsZero() {
		t.Error("DayEnd of an invalid date is not zero")
	}
}

func TestFormatting(t *testing.T) {
	ts := time.Date(2025, 11, 13, 1, 0, 0, 0, time.UTC)     // 09:00 Beijing
	late := time.Date(2025, 11, 13, 16, 30, 0, 0, time.UTC) // 00:30 on the 14th Beijing
	tests := []struct{ name, got, want string }{
		{"FormatCN", FormatCN(ts), "2025年11月13日"},
		{"FormatCNTime", FormatCNTime(ts), "2025年11月13日 09:00"},
		{"FormatCNTime late", FormatCNTime(late), "2025年11月14日 00:30"},
		{"FormatCN padded", FormatCN(time.Date(2025, 1, 2, 0, 0, 0, 0, Beijing)), "2025年01月02日"},
		{"TodayBeijing", TodayBeijing(late), "2025-11-14"},
		{"TodayBeijing morning", TodayBeijing(ts), "2025-11-13"},
		{"FormatDate", FormatDate(late), "2025-11-14"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
