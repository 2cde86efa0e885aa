package handlers_test

import (
	"bytes"
	"net/http"
	"testing"

	"skillcert/internal/testenv"
)

// Text fields refuse invalid UTF-8 and bidirectional controls with a field
// error, and nothing is saved.
func TestTextFieldsRefuseBadUTF8AndBidi(t *testing.T) {
	e := newRegEnv(t, testenv.NewDSN(t, "sqlite"), nil)
	_, code := e.plan(t, planSpec{})
	c := e.candidate(t)
	d := e.draft(t, c, code)
	res := put(t, c, d.ID, map[string]any{"employer": "广州\u202Egnp.exe"})
	wantError(t, res, http.StatusBadRequest, "bidi_control")
	if res.ErrorField() != "employer" {
		t.Fatalf("field %q: %s", res.ErrorField(), res.Body)
	}
	req := jsonRequest(t, c, http.MethodPut, regPath(d.ID, ""), nil)
	raw := []byte("{\"employer\":\"\xff\xfe广州\"}")
	req.Body = nopCloser{bytes.NewReader(raw)}
	req.ContentLength = int64(len(raw))
	res = c.Send(t, req)
	wantError(t, res, http.StatusBadRequest, "invalid_utf8")
	if res.ErrorField() != "employer" {
		t.Fatalf("field %q: %s", res.ErrorField(), res.Body)
	}
	var employer string
	if err := e.app.DB.R.Get(&employer, "SELECT employer FROM registrations WHERE id = ?", d.ID); err != nil || employer != "" {
		t.Fatalf("saved %q %v", employer, err)
	}
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }
