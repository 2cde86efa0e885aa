package fake

import (
	"strings"
	"testing"
)

func TestFieldRules(t *testing.T) {
	cases := []struct {
		key, value string
		ok         bool
	}{
		{"thing1", strings.Repeat("电", 20), true},
		{"thing1", strings.Repeat("电", 21), false},
		{"thing1", strings.Repeat("a", 21), false},
		{"thing1", "", false},
		{"thing1", "   ", false},
		{"phrase2", "审核通过", true},
		{"phrase2", "审核未能通过", false},
		{"phrase2", "OK", false},
		{"character_string3", "2501-ABCD", true},
		{"character_string3", strings.Repeat("9", 33), false},
		{"character_string3", "编号2501", false},
		{"name4", "张三", true},
		{"name4", strings.Repeat("张", 11), false},
		{"name4", "Zhang Sanfeng", true},
		{"name4", strings.Repeat("a", 21), false},
		{"time5", "2025年11月13日 09:00", true},
		{"time5", "2025年11月13日", true},
		{"time5", "2025-11-13 09:00", true},
		{"time5", "09:00", true},
		{"time5", "2025年13月13日 09:00", false},
		{"time5", "2025年11月13日 25:00", false},
		{"time5", "tomorrow", false},
		{"date6", "2025年11月13日", true},
		{"date6", "09:00", false},
		{"number7", "12.5", true},
		{"number7", "12a", false},
		{"amount8", "¥100.00", true},
		{"amount8", "100元", true},
		{"amount8", "lots", false},
		{"phone_number9", "138-0013-8000", true},
		{"phone_number9", "call me", false},
		{"letter10", "abc", true},
		{"letter10", "ab1", false},
		{"symbol11", "%", true},
		{"symbol11", "a", false},
		{"car_number12", "粤B12345", true},
		{"car_number12", "粤B123456789", false},
	}
	for _, tc := range cases {
		bad := checkData(map[string]string{tc.key: tc.value}, true)
		if (bad == "") != tc.ok {
			t.Errorf("%s=%q: ok=%v, want %v", tc.key, tc.value, bad == "", tc.ok)
		}
	}
	if checkData(map[string]string{"keyword1": "anything at all, however long it may be"}, true) == "" {
		t.Error("subscribe message accepted an untyped key")
	}
	if bad := checkData(map[string]string{"first": "您好", "keyword1": "x", "remark": "谢谢"}, false); bad != "" {
		t.Errorf("template rejected classic keys: %s", bad)
	}
}
