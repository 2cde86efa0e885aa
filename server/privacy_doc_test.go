package server_test

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"skillcert/chatbot"
	"skillcert/core"
	"skillcert/server"
)

// TestPrivacyDocRetentionMatchesCode keeps docs/PRIVACY.md true: every period its
// retention table names is the configured default or the constant in the code.
func TestPrivacyDocRetentionMatchesCode(t *testing.T) {
	doc, err := os.ReadFile("../docs/PRIVACY.md")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := server.LoadConfig(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Duration{
		"`SKILLCERT_DRAFT_RETENTION`":     cfg.DraftRetention,
		"`core.SessionTTL`":               core.SessionTTL,
		"`SKILLCERT_CONSOLE_SESSION_TTL`": cfg.Console.SessionTTL,
		"`chatbot.DedupeTTL`":             chatbot.DedupeTTL,
		"`core.OABindCodeTTL`":            core.OABindCodeTTL,
		"`core.OrphanAge`":                core.OrphanAge,
	}
	period := regexp.MustCompile(`(\d+)\s*(天|小时|分钟)`)
	units := map[string]time.Duration{"天": 24 * time.Hour, "小时": time.Hour, "分钟": time.Minute}
	found := map[string]bool{}
	for _, line := range strings.Split(string(doc), "\n") {
		for anchor, d := range want {
			if !strings.HasPrefix(line, "|") || !strings.Contains(line, anchor) {
				continue
			}
			found[anchor] = true
			m := period.FindStringSubmatch(line)
			if m == nil {
				t.Errorf("the row of %s names no period: %s", anchor, line)
				continue
			}
			n, _ := strconv.Atoi(m[1])
			if got := time.Duration(n) * units[m[2]]; got != d {
				t.Errorf("docs/PRIVACY.md says %s for %s; the code says %v", m[0], anchor, d)
			}
		}
	}
	for anchor := range want {
		if !found[anchor] {
			t.Errorf("docs/PRIVACY.md has no retention row for %s", anchor)
		}
	}
	if !strings.Contains(string(doc), fmt.Sprintf("每天最多 %d 次", core.ExportPerDay)) {
		t.Errorf("docs/PRIVACY.md does not state the export limit of %d a day", core.ExportPerDay)
	}
}
