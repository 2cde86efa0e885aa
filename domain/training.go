package domain

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits of a training intention (培训意向登记).
const (
	PreferredTimeMax     = 30 // 期望培训时间, characters
	IntentionNoteMax     = 200
	MaxTrainingIntention = 10 // active intentions per candidate
)

// CheckText trims s and checks that it has at most max characters; the error
// names field and says "<label>最多N个字".
func CheckText(s string, max int, field, label string) (string, error) {
	s = strings.TrimSpace(s)
	if e := ValidText(field, s); e != nil {
		return s, e
	}
	if utf8.RuneCountInString(s) > max {
		return s, Invalid(field, field+"_too_long", fmt.Sprintf("%s最多%d个字", label, max))
	}
	return s, nil
}
