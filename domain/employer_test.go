package domain

import (
	"strings"
	"testing"
)

func TestNormalizeEmployer(t *testing.T) {
	tests := []struct{ in, want string }{
		{"华为技术有限公司", "华为技术有限公司"},
		{" 华为技术 有限公司\t", "华为技术有限公司"},
		{"华为技术（深圳）有限公司", "华为技术深圳有限公司"},
		{"华为技术(深圳)有限公司", "华为技术深圳有限公司"},
		{"广州某某有限责任公司", "广州某某有限公司"},
		{"ＡＢＣ科技有限公司", "abc科技有限公司"},
		{"ABC　科技", "abc科技"}, // ideographic space
		{"TCL实业控股股份有限公司", "tcl实业控股股份有限公司"},
		{"", ""},
		{" （） ", ""},
	}
	for _, tt := range tests {
		got := NormalizeEmployer(tt.in)
		if got != tt.want {
			t.Errorf("NormalizeEmployer(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if NormalizeEmployer(got) != got {
			t.Errorf("NormalizeEmployer(%q) is not idempotent", tt.in)
		}
	}
}

func TestSameEmployer(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"深圳市腾讯计算机系统有限公司", "深圳市腾讯计算机系统有限责任公司", true},
		{"广东岭南现代技师学院", " 广东岭南现代技师学院 ", true},
		{"华为技术（深圳）有限公司", "华为技术(深圳)有限公司", true},
		{"ＡＢＣ有限公司", "abc有限公司", true},
		{"甲公司", "乙公司", false},
		{"某某股份有限公司", "某某有限公司", false},
		{"", "", false},
		{" ", "（）", false},
	}
	for _, tt := range tests {
		if got := SameEmployer(tt.a, tt.b); got != tt.want {
			t.Errorf("SameEmployer(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if SameEmployer(tt.b, tt.a) != SameEmployer(tt.a, tt.b) {
			t.Errorf("SameEmployer(%q, %q) is not symmetric", tt.a, tt.b)
		}
	}
}

func TestValidEmployer(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"无", true},
		{"无业", true},
		{strings.Repeat("字", 25), true},
		{" " + strings.Repeat("字", 25) + " ", true},
		{strings.Repeat("字", 26), false},
		{strings.Repeat("a", 25), true},
		{"", false},
		{"   ", false},
		{"公司\n名称", false},
		{"bad\xffutf8", false},
	}
	for _, tt := range tests {
		if got := ValidEmployer(tt.in); got != tt.want {
			t.Errorf("ValidEmployer(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
