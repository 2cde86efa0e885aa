package domain

import (
	"strconv"
	"strings"
)

// Level is an evaluation level (评价等级), 1 (the highest, 一级/高级技师) to 5
// (the lowest, 五级/初级工). It is stored as its number.
type Level int

// The five evaluation levels.
const (
	Level1 Level = 1 // 一级/高级技师
	Level2 Level = 2 // 二级/技师
	Level3 Level = 3 // 三级/高级工
	Level4 Level = 4 // 四级/中级工
	Level5 Level = 5 // 五级/初级工
)

var levelNames = [...]string{
	Level1: "一级/高级技师",
	Level2: "二级/技师",
	Level3: "三级/高级工",
	Level4: "四级/中级工",
	Level5: "五级/初级工",
}

// Levels returns every level, from 1 to 5, in the order the search filter shows them.
func Levels() []Level { return []Level{Level1, Level2, Level3, Level4, Level5} }

// LevelOptions returns the levels as drop-down options (code "1".."5").
func LevelOptions() []Option {
	out := make([]Option, 0, 5)
	for _, l := range Levels() {
		out = append(out, Option{Code: strconv.Itoa(int(l)), Name: l.Name()})
	}
	return out
}

// Valid reports whether l is one of the five levels.
func (l Level) Valid() bool { return l >= Level1 && l <= Level5 }

// Name returns the name shown to people, e.g. "二级/技师", or "" for an invalid level.
func (l Level) Name() string {
	if !l.Valid() {
		return ""
	}
	return levelNames[l]
}

// ParseLevel reads a level from its number ("2"), its full name ("二级/技师") or
// either half of the name ("二级", "技师"); surrounding spaces are ignored.
// The error names the field "level".
func ParseLevel(s string) (Level, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, Invalid(FieldLevel, "level_required", "请选择评价等级")
	}
	if n, err := strconv.Atoi(s); err == nil {
		if l := Level(n); l.Valid() {
			return l, nil
		}
	}
	for _, l := range Levels() {
		name := l.Name()
		short, title, _ := strings.Cut(name, "/")
		if s == name || s == short || s == title {
			return l, nil
		}
	}
	return 0, Invalid(FieldLevel, "level_invalid", "评价等级不正确，应为一级至五级")
}
