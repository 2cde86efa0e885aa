package chatbot

import (
	"fmt"
	"strings"

	"skillcert/domain"
)

// MaxReplyBytes is WeChat's limit for a text reply (passive or customer-service).
const MaxReplyBytes = 2048

// truncated ends a reply cut to fit MaxReplyBytes.
const truncated = "……（内容较多，请在小程序查看全部）"

// reply builds the text of one answer, line by line.
type reply struct {
	lines []string
	allow []string // full numbers that may appear (institution contact phones)
}

func (r *reply) line(s string) { r.lines = append(r.lines, s) }

func (r *reply) linef(format string, args ...any) { r.line(fmt.Sprintf(format, args...)) }

// blank separates two parts of a reply.
func (r *reply) blank() {
	if n := len(r.lines); n > 0 && r.lines[n-1] != "" {
		r.lines = append(r.lines, "")
	}
}

// allowNumber lets a public number (a plan's contact phone) through the masking.
func (r *reply) allowNumber(s string) { r.allow = append(r.allow, s) }

// String is the finished reply: personal numbers masked, cut to MaxReplyBytes.
func (r *reply) String() string {
	for len(r.lines) > 0 && r.lines[len(r.lines)-1] == "" {
		r.lines = r.lines[:len(r.lines)-1]
	}
	return fit(maskNumbers(strings.Join(r.lines, "\n"), r.allow))
}

// fit cuts s to MaxReplyBytes on a character boundary, outside any link markup.
func fit(s string) string {
	if len(s) <= MaxReplyBytes {
		return s
	}
	cut := MaxReplyBytes - len(truncated)
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	kept := s[:cut]
	if open := strings.LastIndex(kept, "<a "); open > strings.LastIndex(kept, "</a>") {
		kept = kept[:open]
	}
	return kept + truncated
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// maskNumbers hides ID document numbers (15 or 18 characters) and mainland
// mobile numbers in s, except the numbers listed in allow. Runs of digits are
// judged whole, so longer numbers (certificate numbers, plan numbers) pass.
func maskNumbers(s string, allow []string) string {
	var b strings.Builder
	i := 0
	for i < len(s) {
		if !isDigit(s[i]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j < len(s) && (s[j] == 'X' || s[j] == 'x') && j-i == 17 {
			j++
		}
		b.WriteString(maskRun(s[i:j], allow))
		i = j
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func maskRun(run string, allow []string) string {
	for _, a := range allow {
		if a == run {
			return run
		}
	}
	switch {
	case len(run) == 18 || len(run) == 15:
		return domain.MaskIDNumber(run)
	case len(run) == 11 && run[0] == '1':
		return domain.MaskPhone(run)
	}
	return run
}
