package domain

import (
	"time"
	_ "time/tzdata" // Asia/Shanghai must load even where the system has no tzdata
)

// Beijing is China Standard Time (Asia/Shanghai, UTC+8, no daylight saving). Times
// are stored in UTC and shown, and date-only deadlines are read, in this zone.
var Beijing = loadBeijing()

func loadBeijing() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}

// DateLayout is the layout of a date-only value, "YYYY-MM-DD".
const DateLayout = "2006-01-02"

// ParseDate reads a "YYYY-MM-DD" date (exactly that shape, a real calendar date) and
// returns its start, 00:00 Beijing time.
func ParseDate(s string) (time.Time, bool) {
	if len(s) != len(DateLayout) {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation(DateLayout, s, Beijing)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// ValidDate reports whether s is a real date written "YYYY-MM-DD" ("1999-02-30" is not).
func ValidDate(s string) bool {
	_, ok := ParseDate(s)
	return ok
}

// DayEnd returns the end of a date-only deadline: the next day at 00:00 Beijing time,
// so a deadline "2025-11-13" is open until 2025-11-13 24:00. Compare with
// now.Before(DayEnd(d)). It returns the zero Time (long past) when date is invalid;
// validate with ValidDate first.
func DayEnd(date string) time.Time {
	t, ok := ParseDate(date)
	if !ok {
		return time.Time{}
	}
	return t.AddDate(0, 0, 1)
}

// TodayBeijing returns the date of now in Beijing, "YYYY-MM-DD".
func TodayBeijing(now time.Time) string { return now.In(Beijing).Format(DateLayout) }

// FormatDate returns the Beijing date of t, "YYYY-MM-DD".
func FormatDate(t time.Time) string { return t.In(Beijing).Format(DateLayout) }

// FormatCN returns the Beijing date of t as people read it, e.g. "2025年11月13日".
func FormatCN(t time.Time) string { return t.In(Beijing).Format("2006年01月02日") }

// FormatCNTime returns the Beijing date and time of t, e.g. "2025年11月13日 09:00".
func FormatCNTime(t time.Time) string { return t.In(Beijing).Format("2006年01月02日 15:04") }
