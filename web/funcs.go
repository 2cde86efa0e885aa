package web

import (
	"encoding/json"
	"html/template"
	"strings"
	"time"

	"skillcert/core"
	"skillcert/domain"
)

var statusClasses = map[string]string{
	string(domain.StatusDraft): "draft", string(domain.StatusSubmitted): "info", string(domain.StatusApproved): "ok",
	string(domain.StatusReturned): "warn", string(domain.StatusRejected): "bad", string(domain.StatusCancelled): "off",
}

var planClasses = map[string]string{"open": "ok", "upcoming": "info", "closed": "off", "full": "bad"}

func (h *Handlers) funcs() template.FuncMap {
	return template.FuncMap{
		"levelName": func(l int) string { return domain.Level(l).Name() },
		"levelShort": func(l int) string {
			n := domain.Level(l).Name()
			if i := strings.Index(n, "/"); i > 0 {
				return n[:i]
			}
			return n
		},
		"workType":     workTypeSuffix,
		"exportPerDay": func() int { return core.ExportPerDay },
		"statusClass":  func(s string) string { return statusClasses[s] },
		"planClass":    func(s string) string { return planClasses[s] },
		"fieldLabel":   fieldLabel,
		"dt": func(t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			return t.In(beijing).Format("2006-01-02 15:04")
		},
		"pdt": func(t *time.Time) string {
			if t == nil || t.IsZero() {
				return "—"
			}
			return t.In(beijing).Format("2006-01-02 15:04")
		},
		"optName": func(list []domain.Option, code string) string {
			for _, o := range list {
				if o.Code == code {
					return o.Name
				}
			}
			if code == "" {
				return "—"
			}
			return code
		},
		"jsonAttr": func(v any) string {
			b, _ := json.Marshal(v)
			return string(b)
		},
		"add": func(a, b int) int { return a + b },
		// dataURL lets a PNG data URL made by core (the ticket's QR code) into src.
		"dataURL": func(s string) template.URL {
			if strings.HasPrefix(s, "data:image/png;base64,") {
				return template.URL(s)
			}
			return ""
		},
		"sizeKB": func(n int64) int64 {
			return (n + 1023) / 1024
		},
		"runes":  func(s string) int { return len([]rune(s)) },
		"levels": func() []int { return []int{1, 2, 3, 4, 5} },
		"itoa":   func(i int) string { return itoaFn(i) },
		"filesArgs": func(files []core.AttachmentView, rid int64, editable bool, root view) map[string]any {
			return map[string]any{"Files": files, "RID": rid, "Editable": editable, "Root": root}
		},
	}
}

func itoaFn(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// workTypeSuffix is a plan's work type as shown after the occupation:
// "（前端开发）", or nothing when the plan has none.
func workTypeSuffix(w string) string {
	if w = strings.TrimSpace(w); w == "" || w == "无" {
		return ""
	}
	return "（" + w + "）"
}
