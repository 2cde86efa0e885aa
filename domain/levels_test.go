package domain

import "testing"

func TestLevelNames(t *testing.T) {
	want := map[Level]string{
		1: "一级/高级技师", 2: "二级/技师", 3: "三级/高级工", 4: "四级/中级工", 5: "五级/初级工",
		0: "", 6: "", -1: "",
	}
	for l, name := range want {
		if got := l.Name(); got != name {
			t.Errorf("Level(%d).Name() = %q, want %q", l, got, name)
		}
		if got := l.Valid(); got != (name != "") {
			t.Errorf("Level(%d).Valid() = %v", l, got)
		}
	}
	ls := Levels()
	if len(ls) != 5 || ls[0] != Level1 || ls[4] != Level5 {
		t.Errorf("Levels() = %v", ls)
	}
	opts := LevelOptions()
	if len(opts) != 5 || opts[1] != (Option{Code: "2", Name: "二级/技师"}) {
		t.Errorf("LevelOptions() = %v", opts)
	}
}

func TestParseLevel(t *testing.T) {
	tests := []struct {
		in   string
		want Level
		code string
	}{
		{"1", Level1, ""},
		{" 5 ", Level5, ""},
		{"二级/技师", Level2, ""},
		{"三级", Level3, ""},
		{"技师", Level2, ""},
		{"高级技师", Level1, ""},
		{"初级工", Level5, ""},
		{"", 0, "level_required"},
		{"0", 0, "level_invalid"},
		{"6", 0, "level_invalid"},
		{"六级", 0, "level_invalid"},
		{"abc", 0, "level_invalid"},
	}
	for _, tt := range tests {
		got, err := ParseLevel(tt.in)
		if tt.code == "" {
			if err != nil || got != tt.want {
				t.Errorf("ParseLevel(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil || de(err).Code != tt.code || de(err).Field != FieldLevel || de(err).Kind != KindInvalid {
			t.Errorf("ParseLevel(%q) error = %+v; want code %s on field level", tt.in, err, tt.code)
		}
	}
}
