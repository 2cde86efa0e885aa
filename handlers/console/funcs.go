package console

import (
	"database/sql"
	"html/template"
	"strings"
	"time"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/notify"
)

// reviewStatuses are the registration statuses staff see (drafts stay the
// candidate's own until submitted).
var reviewStatuses = []string{string(domain.StatusSubmitted), string(domain.StatusApproved),
	string(domain.StatusReturned), string(domain.StatusRejected), string(domain.StatusCancelled)}

var statusClasses = map[string]string{
	string(domain.StatusSubmitted): "info", string(domain.StatusApproved): "ok",
	string(domain.StatusReturned): "warn", string(domain.StatusRejected): "bad",
}

var planClasses = map[string]string{"published": "ok", "closed": "bad"}

// formField is one input of a form as the "input" partial draws it.
type formField struct {
	Name, Label, Value, Type, Hint, Err string
	Required                            bool
}

// Described is the aria-describedby of the field: its hint and its error.
func (f formField) Described() string { return describedBy(f.Name, f.Hint, f.Err) }

func describedBy(name, hint, err string) string {
	var ids []string
	if hint != "" {
		ids = append(ids, name+"-hint")
	}
	if err != "" {
		ids = append(ids, name+"-err")
	}
	return strings.Join(ids, " ")
}

// formPick is a drop-down of fixed choices as the "pick" partial draws it.
type formPick struct {
	formField
	Options  []domain.Option
	Disabled bool // shown, not changeable (the value is still sent)
	Unknown  bool // the value is not one of the options (a plan saved before the pickers)
}

func (h *Handlers) funcs() template.FuncMap {
	return template.FuncMap{
		"levelName":      func(l int) string { return domain.Level(l).Name() },
		"levelOptions":   domain.LevelOptions,
		"roleName":       func(r any) string { return domain.Role(toString(r)).Name() },
		"roleOptions":    domain.RoleOptions,
		"statusName":     func(s any) string { return domain.Status(toString(s)).Name() },
		"statusClass":    func(s any) string { return statusClasses[toString(s)] },
		"planClass":      func(s string) string { return planClasses[s] },
		"reviewStatuses": func() []string { return reviewStatuses },
		"anyCount":       func(v core.StaffPlanView) bool { return len(v.Counts) > 0 },
		"auditName":      core.AuditName,
		"eventName":      notify.KindTitle,
		"channelName":    func(ch string) string { return channelNames[ch] },
		"objectName":     core.AuditObjectName,
		"stageName":      func(s string) string { return domain.CertStage(s).Name() },
		"stageOptions":   domain.CertStageOptions,
		"subjectName":    func(s any) string { return domain.Subject(toString(s)).Name() },
		"subjectOptions": domain.SubjectOptions,
		"actionName":     func(a domain.Action) string { return a.Name() },
		"dt":             formatTime,
		"ndt": func(t sql.NullTime) string {
			if !t.Valid {
				return "—"
			}
			return formatTime(t.Time)
		},
		"lastDay": func(t time.Time) string { return domain.FormatDate(t.Add(-time.Second)) },
		"lockedNow": func(t time.Time) bool {
			return t.After(h.now())
		},
		"pick": func(v view, name, label, value string, required bool, opts []domain.Option, disabled bool, hint string) formPick {
			p := formPick{formField: formField{Name: name, Label: label, Value: value, Required: required,
				Hint: hint, Err: v.Errs[name]}, Options: opts, Disabled: disabled}
			p.Unknown = value != ""
			for _, o := range opts {
				if o.Code == value {
					p.Unknown = false
				}
			}
			return p
		},
		"field": func(v view, name, label, value string, required bool, typ, hint string) formField {
			return formField{Name: name, Label: label, Value: value, Required: required, Type: typ,
				Hint: hint, Err: v.Errs[name]}
		},
	}
}

// channelNames are the notification channels as staff read them.
var channelNames = map[string]string{
	domain.ChannelSubscribe: "小程序订阅消息", domain.ChannelTemplate: "公众号模板消息", domain.ChannelApp: "仅小程序内显示",
}

// formatTime shows an instant in Beijing time.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(domain.Beijing).Format("2006-01-02 15:04")
}

func toString(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case domain.Role:
		return string(s)
	case domain.Status:
		return string(s)
	case domain.Subject:
		return string(s)
	}
	return ""
}
