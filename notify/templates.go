package notify

import (
	"bytes"
	_ "embed" // the default templates file
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"

	"skillcert/domain"
)

// defaultTemplates maps every event kind to a page and to field mappings; its
// template ids are empty (they belong to each deployment's WeChat apps).
//
//go:embed templates.json
var defaultTemplates []byte

// Templates is the message configuration: for each event kind, the
// mini-program page its message opens and, per channel, the WeChat template id
// and how the template's fields are filled. Load it with LoadTemplates.
type Templates struct {
	// MiniprogramState is the subscribe messages' miniprogram_state: formal,
	// trial or developer.
	MiniprogramState string               `json:"miniprogram_state"`
	Events           map[string]EventSpec `json:"events"`
}

// EventSpec is the configuration of one event kind.
type EventSpec struct {
	// Page is the mini-program page path, with placeholders such as
	// "pages/record/record?id={registration_id}".
	Page      string       `json:"page"`
	Subscribe TemplateSpec `json:"subscribe"` // mini-program subscribe message
	Official  TemplateSpec `json:"official"`  // official-account template message
}

// TemplateSpec is one WeChat template and its fields: field key ("thing1",
// "time2", …) → text with {fact} placeholders. The key's type (the letters before
// the digits) sets the format and limits: thing ≤20 characters (cut with …),
// phrase ≤5 汉字, time/date Chinese dates, name, character_string, number.
type TemplateSpec struct {
	TemplateID string            `json:"template_id"`
	Data       map[string]string `json:"data"`
}

// Enabled reports whether the template is configured.
func (t TemplateSpec) Enabled() bool { return t.TemplateID != "" && len(t.Data) > 0 }

// DefaultTemplates returns the built-in configuration (no template ids).
func DefaultTemplates() *Templates {
	t, err := parseTemplates(defaultTemplates)
	if err != nil {
		panic("notify: built-in templates.json: " + err.Error()) // a build error, caught by tests
	}
	return t
}

// LoadTemplates reads the configuration from a JSON file laid out like
// templates.json, over the built-in one: an event's page, and each channel's
// template_id and data, replace the built-in ones when given. An empty path
// returns the built-in configuration. Every field key and placeholder is checked.
func LoadTemplates(path string) (*Templates, error) {
	t := DefaultTemplates()
	if path == "" {
		return t, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	over, err := parseTemplates(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	t.merge(over)
	return t, nil
}

// ParseTemplates is LoadTemplates from JSON text instead of a file.
func ParseTemplates(js string) (*Templates, error) {
	over, err := parseTemplates([]byte(js))
	if err != nil {
		return nil, err
	}
	t := DefaultTemplates()
	t.merge(over)
	return t, nil
}

func parseTemplates(b []byte) (*Templates, error) {
	var t Templates
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return nil, err
	}
	switch t.MiniprogramState {
	case "", "formal", "trial", "developer":
	default:
		return nil, fmt.Errorf("miniprogram_state %q: want formal, trial or developer", t.MiniprogramState)
	}
	for kind, e := range t.Events {
		if err := e.check(); err != nil {
			return nil, fmt.Errorf("event %s: %w", kind, err)
		}
	}
	return &t, nil
}

func (t *Templates) merge(over *Templates) {
	if over.MiniprogramState != "" {
		t.MiniprogramState = over.MiniprogramState
	}
	if t.Events == nil {
		t.Events = map[string]EventSpec{}
	}
	for kind, o := range over.Events {
		e := t.Events[kind]
		if o.Page != "" {
			e.Page = o.Page
		}
		e.Subscribe = e.Subscribe.merge(o.Subscribe)
		e.Official = e.Official.merge(o.Official)
		t.Events[kind] = e
	}
}

func (t TemplateSpec) merge(o TemplateSpec) TemplateSpec {
	if o.TemplateID != "" {
		t.TemplateID = o.TemplateID
	}
	if len(o.Data) > 0 {
		t.Data = o.Data
	}
	return t
}

// Spec returns the configuration of an event kind (the zero spec, with no
// channel, for an unknown kind).
func (t *Templates) Spec(kind string) EventSpec { return t.Events[kind] }

// Kinds returns the configured event kinds, sorted.
func (t *Templates) Kinds() []string { return slices.Sorted(maps.Keys(t.Events)) }

// SubscribeTemplates lists the event kinds that have a subscribe template, with
// its id, sorted by kind.
func (t *Templates) SubscribeTemplates() []domain.SubscribeTemplate {
	out := []domain.SubscribeTemplate{}
	for _, k := range t.Kinds() {
		if s := t.Events[k].Subscribe; s.Enabled() {
			out = append(out, domain.SubscribeTemplate{Event: k, TemplateID: s.TemplateID})
		}
	}
	return out
}

var (
	placeholderRe = regexp.MustCompile(`\{([a-z_]+)\}`)
	fieldKeyRe    = regexp.MustCompile(`^([a-z_]+?)(\d+)$`)
)

func (e EventSpec) check() error {
	for _, name := range placeholders(e.Page) {
		if !pageFacts[name] {
			return fmt.Errorf("page: unknown placeholder {%s} (use registration_id, plan_id, event_id or feedback_id)", name)
		}
	}
	if strings.HasPrefix(e.Page, "/") {
		return fmt.Errorf("page %q: a mini-program page path has no leading /", e.Page)
	}
	if err := e.Subscribe.check(true); err != nil {
		return fmt.Errorf("subscribe: %w", err)
	}
	if err := e.Official.check(false); err != nil {
		return fmt.Errorf("official: %w", err)
	}
	return nil
}

func (t TemplateSpec) check(subscribe bool) error {
	for key, text := range t.Data {
		m := fieldKeyRe.FindStringSubmatch(key)
		if m == nil || formats[m[1]] == nil {
			if subscribe {
				return fmt.Errorf("field %q: want a typed key such as thing1, phrase2, time3", key)
			}
		}
		for _, name := range placeholders(text) {
			if !knownFacts[name] {
				return fmt.Errorf("field %s: unknown placeholder {%s}", key, name)
			}
		}
	}
	return nil
}

func placeholders(s string) []string {
	var out []string
	for _, m := range placeholderRe.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// Only returns a copy of the configuration keeping the template ids of the
// channels whose WeChat app is configured: a channel without its app is never
// chosen (rather than failing every event sent on it).
func (t *Templates) Only(subscribe, official bool) *Templates {
	out := &Templates{MiniprogramState: t.MiniprogramState, Events: make(map[string]EventSpec, len(t.Events))}
	for k, e := range t.Events {
		if !subscribe {
			e.Subscribe.TemplateID = ""
		}
		if !official {
			e.Official.TemplateID = ""
		}
		out.Events[k] = e
	}
	return out
}
