package handlers_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"skillcert/core"
	"skillcert/internal/testenv"
)

// fbFile is a photo to send with a feedback.
type fbFile struct {
	name    string
	content []byte
}

// fbBody is a valid feedback about planNo, to change per test.
func fbBody(planNo string) map[string]any {
	return map[string]any{"plan_no": planNo, "category": "exam_discipline",
		"content": "考场内监考人员离场超过二十分钟，无人监考。", "contact_pref": "in_app"}
}

// postFeedback sends a feedback as JSON.
func postFeedback(t testing.TB, c *testenv.Client, body map[string]any) *testenv.Response {
	t.Helper()
	return c.Do(t, http.MethodPost, "/api/v1/feedback", body)
}

// postFeedbackForm sends a feedback as multipart/form-data with photos in "images".
func postFeedbackForm(t testing.TB, c *testenv.Client, path string, fields map[string]any, files ...fbFile) *testenv.Response {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = w.WriteField(k, fmt.Sprint(v))
	}
	for _, f := range files {
		fw, err := w.CreateFormFile("images", f.name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(f.content)
	}
	w.Close()
	req, err := http.NewRequest(http.MethodPost, c.Base+path, &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.Send(t, req)
}

// feedbackOK decodes a feedback answer, failing the test unless it has status.
func feedbackOK(t testing.TB, res *testenv.Response, status int) core.FeedbackView {
	t.Helper()
	if res.Status != status {
		t.Fatalf("want %d, got %d %s", status, res.Status, res.Body)
	}
	var v core.FeedbackView
	res.JSON(t, &v)
	return v
}

// wantFieldError fails the test unless res is an error with status, code and field.
func wantFieldError(t testing.TB, res *testenv.Response, status int, code, field string) {
	t.Helper()
	if res.Status != status || res.ErrorCode() != code || res.ErrorField() != field {
		t.Fatalf("want %d %s at %q, got %d %s", status, code, field, res.Status, res.Body)
	}
}

// listFeedback returns the candidate's feedback.
func listFeedback(t testing.TB, c *testenv.Client) core.Page[core.FeedbackView] {
	t.Helper()
	res := c.Get(t, "/api/v1/feedback")
	if res.Status != http.StatusOK {
		t.Fatalf("list feedback: %d %s", res.Status, res.Body)
	}
	var p core.Page[core.FeedbackView]
	res.JSON(t, &p)
	return p
}

// bigPNG is a PNG header followed by filler, n bytes in all.
func bigPNG(n int) []byte { return testenv.PaddedPNG(n) }

// rawColumn reads one column of every row of a table, as text.
func rawColumn(t testing.TB, app *testenv.App, table, col string) string {
	t.Helper()
	var vals []string
	if err := app.DB.R.Select(&vals, "SELECT COALESCE("+col+", '') FROM "+table); err != nil {
		t.Fatal(err)
	}
	return strings.Join(vals, "\n")
}
