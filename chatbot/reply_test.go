package chatbot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMaskNumbers(t *testing.T) {
	cases := []struct{ in, want string }{
		{"证件 11010519491231002X 号", "证件 110105********002X 号"},
		{"11010519491231002x", "110105********002x"},
		{"手机13812345678。", "手机138****5678。"},
		{"联系电话：13900001111", "联系电话：13900001111"}, // allowed below
		{"证书编号 Y123456789012345678901", "证书编号 Y123456789012345678901"},
		{"计划 26000123，截止 2026-12-11", "计划 26000123，截止 2026-12-11"},
		{"旧证 110105491231002", "旧证 11*********1002"},
	}
	for _, c := range cases {
		if got := maskNumbers(c.in, []string{"13900001111"}); got != c.want {
			t.Errorf("maskNumbers(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFit(t *testing.T) {
	long := strings.Repeat("职业技能等级认定", 200)
	got := fit(long)
	if len(got) > MaxReplyBytes || !utf8.ValidString(got) || !strings.HasSuffix(got, truncated) {
		t.Fatalf("fit: %d bytes, valid %v", len(got), utf8.ValidString(got))
	}
	link := strings.Repeat("字", 640) + `<a data-miniprogram-appid="wx1" data-miniprogram-path="pages/form/form?id=1">打开小程序</a>` + strings.Repeat("字", 100)
	got = fit(link)
	if strings.Contains(got, "<a ") || len(got) > MaxReplyBytes {
		t.Fatalf("a cut link must be dropped whole: %q", got[len(got)-80:])
	}
	if short := "你好"; fit(short) != short {
		t.Fatal("short replies are unchanged")
	}
}
