package notify

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"skillcert/domain"
	"skillcert/repo"
)

// The facts a template field or page may name as {placeholder}. Payload keys
// listed here are taken from the event's payload when present.
var knownFacts = setOf(
	"title", "result", "remark", "detail", "note", "event_time", "event_date",
	"occupation", "work_type", "level_name", "occupation_level", "plan_name", "plan_no",
	"institution", "contact_phone", "eval_start", "eval_end", "eval_dates", "location",
	"stage", "cert_no", "name", "registration_id", "plan_id", "event_id",
	"reason", "changes", "summary", "feedback_id", "ticket_no",
)

// pageFacts are the placeholders a page path may use.
var pageFacts = setOf("registration_id", "plan_id", "event_id", "feedback_id")

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// facts is everything a message about one event may show, as display text.
type facts map[string]string

// eventPayload is the part of an outbox payload the dispatcher reads.
type eventPayload struct {
	Reason    string `json:"reason"`
	Changes   string `json:"changes"`
	Summary   string `json:"summary"`
	Note      string `json:"note"`
	Stage     string `json:"stage"`
	CertNo    string `json:"cert_no"`
	EvalStart string `json:"eval_start"`
	Venue     string `json:"venue"`     // an exam room's address (exam reminders with a ticket)
	TicketNo  string `json:"ticket_no"` // the admission ticket number (ticket events)
	Feedback  int64  `json:"feedback_id"`
}

func parsePayload(s string) eventPayload {
	var p eventPayload
	_ = json.Unmarshal([]byte(s), &p) // a payload we cannot read shows no extra facts
	return p
}

// buildFacts gathers the facts of an event from its row, its payload, its
// registration and plan (ef, zero when the event has none) and its recipient.
func buildFacts(row *repo.OutboxRow, ef *repo.EventFacts, name string) facts {
	p := parsePayload(row.Payload)
	stage := domain.CertStage(p.Stage)
	if !stage.Valid() {
		stage = domain.CertStage(ef.CertStage)
	}
	txt := textOf(row.Kind, stage)
	f := facts{
		"title": txt.title, "result": txt.result, "remark": txt.remark,
		"event_time": domain.FormatCNTime(row.CreatedAt), "event_date": domain.FormatCN(row.CreatedAt),
		"occupation": ef.OccupationName, "work_type": ef.WorkType, "plan_name": ef.PlanName,
		"plan_no": ef.PlanNo, "institution": ef.InstitutionName, "contact_phone": ef.ContactPhone,
		"eval_start": cnDate(ef.EvalStart), "eval_end": cnDate(ef.EvalEnd),
		"location": firstOf(p.Venue, strings.Join(strings.Fields(ef.City+" "+ef.District+" "+ef.Address), "")),
		"cert_no":  firstOf(p.CertNo, ef.CertNo), "name": name,
		"reason": p.Reason, "changes": p.Changes, "summary": p.Summary,
		"event_id": strconv.FormatInt(row.ID, 10), "feedback_id": idText(p.Feedback),
		"ticket_no": p.TicketNo,
	}
	if l := domain.Level(ef.Level); l.Valid() {
		f["level_name"] = l.Name()
		f["occupation_level"] = ef.OccupationName + "（" + l.Name() + "）"
	}
	f["eval_dates"] = f["eval_start"]
	if ef.EvalEnd != "" && ef.EvalEnd != ef.EvalStart {
		f["eval_dates"] = f["eval_start"] + "至" + f["eval_end"]
	}
	if stage.Valid() {
		f["stage"] = stage.Name()
	}
	f["registration_id"] = idText(row.RegistrationID.Int64, ef.RegistrationID)
	f["plan_id"] = idText(row.PlanID.Int64, ef.PlanID)
	f["detail"] = detailOf(row.Kind, p, ef, f["stage"])
	f["note"] = firstOf(f["detail"], txt.remark)
	return f
}

// detailOf is the event-specific text: the reason of a return or rejection, what
// changed in a plan, a result summary, a certificate stage.
func detailOf(kind string, p eventPayload, ef *repo.EventFacts, stage string) string {
	switch kind {
	case domain.EventRegistrationReturned, domain.EventRegistrationRejected, domain.EventRegistrationCancelledByInstitution:
		return firstOf(p.Reason, ef.ReviewNote)
	case domain.EventPlanChanged:
		return firstOf(p.Changes, p.Note)
	case domain.EventResultPublished:
		return firstOf(p.Summary, p.Note)
	case domain.EventCertStage:
		return firstOf(p.Note, stage)
	}
	return firstOf(p.Reason, p.Note)
}

func cnDate(d string) string {
	t, ok := domain.ParseDate(d)
	if !ok {
		return ""
	}
	return domain.FormatCN(t)
}

func idText(ids ...int64) string {
	for _, id := range ids {
		if id != 0 {
			return strconv.FormatInt(id, 10)
		}
	}
	return ""
}

func firstOf(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// expand fills the {placeholders} of text.
func (f facts) expand(text string) string {
	return placeholderRe.ReplaceAllStringFunc(text, func(m string) string { return f[m[1:len(m)-1]] })
}

// formats holds, per field type, how a value is made to fit WeChat's rules and
// what an empty value becomes (WeChat refuses empty fields).
var formats = map[string]func(v string, f facts) string{
	"thing":            func(v string, _ facts) string { return orNone(domain.WxThing(v)) },
	"phrase":           func(v string, _ facts) string { return orNone(domain.WxPhrase(v)) },
	"name":             func(v string, _ facts) string { return orNone(domain.WxName(v)) },
	"character_string": func(v string, _ facts) string { return or(domain.WxCharacterString(v), "-") },
	"time":             func(v string, f facts) string { return or(squash(v), f["event_date"]) },
	"date":             func(v string, f facts) string { return or(squash(v), f["event_date"]) },
	"number":           func(v string, _ facts) string { return or(keep(v, "0123456789.-", 32), "0") },
	"letter":           func(v string, _ facts) string { return orNone(capRunes(squash(v), 32)) },
	"symbol":           func(v string, _ facts) string { return or(capRunes(squash(v), 5), "-") },
	"amount":           func(v string, _ facts) string { return or(keep(v, "0123456789.", 13), "0") },
	"phone_number":     func(v string, _ facts) string { return or(keep(v, "0123456789+-() ", 17), "-") },
	"car_number":       func(v string, _ facts) string { return orNone(capRunes(squash(v), 8)) },
}

// maxUntyped caps the old-style official-account fields (first, keyword1, remark).
const maxUntyped = 200

// renderData fills a template's fields from the facts, each within its type's limits.
func renderData(spec TemplateSpec, f facts) map[string]string {
	out := make(map[string]string, len(spec.Data))
	for key, text := range spec.Data {
		v := f.expand(text)
		if m := fieldKeyRe.FindStringSubmatch(key); m != nil && formats[m[1]] != nil {
			out[key] = formats[m[1]](v, f)
		} else {
			out[key] = or(capRunes(squash(v), maxUntyped), "-")
		}
	}
	return out
}

// renderPage fills the placeholders of a page path.
func renderPage(page string, f facts) string { return f.expand(page) }

// clientMsgID is the official-account de-duplication id of an outbox event.
func clientMsgID(outboxID int64) string { return fmt.Sprintf("skillcert-%d", outboxID) }

func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func orNone(s string) string { return or(s, "无") }

func capRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

func keep(s, allowed string, n int) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(allowed, r) {
			b.WriteRune(r)
		}
	}
	return capRunes(strings.TrimSpace(b.String()), n)
}
