package handlers_test

import (
	"testing"

	"skillcert/core"
	"skillcert/internal/testenv"
)

// TestBoundPhoneFillsDraft: a phone bound after the draft was made fills the
// draft's empty phone (the form's "use my WeChat phone"), and never overwrites
// one the candidate typed.
func TestBoundPhoneFillsDraft(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		_, code1 := e.plan(t, planSpec{})
		_, code2 := e.plan(t, planSpec{})
		c := e.candidate(t)
		empty := e.draft(t, c, code1)
		typed := e.draft(t, c, code2)
		if empty.Phone != "" {
			t.Fatalf("a draft made before any phone was bound has phone %q", empty.Phone)
		}
		regOK(t, put(t, c, typed.ID, map[string]any{"phone": "13911112222"}), 200)

		if r := bindPhone(t, c, "13800001111"); r.Status != 200 {
			t.Fatalf("bind phone: %d %s", r.Status, r.Body)
		}
		var got core.RegistrationView
		c.Get(t, regPath(empty.ID, "")).JSON(t, &got)
		if got.Phone != "13800001111" {
			t.Fatalf("the empty draft's phone is %q after binding", got.Phone)
		}
		c.Get(t, regPath(typed.ID, "")).JSON(t, &got)
		if got.Phone != "13911112222" {
			t.Fatalf("binding overwrote a typed phone: %q", got.Phone)
		}
	})
}
