package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"skillcert/core"
	"skillcert/internal/testenv"
)

// The plan search answers exactly the bytes encoding/json (c.JSON) would write
// for the same page, though it joins the plans' cached JSON by hand: every
// query shape, an empty page, and text that encoding/json escapes (<, >, &,
// U+2028) in a plan's fields.
func TestPlanPageAsEncodingJSON(t *testing.T) {
	app := testenv.Start(t, testenv.NewDSN(t, "sqlite"), testenv.Options{Demo: true, DemoPlans: 120})
	ctx := context.Background()
	if _, err := app.DB.W.ExecContext(ctx, "UPDATE plans SET plan_name = plan_name || ' <b>&amp;</b> \u2028\u2029 \"引号\" \\ 反斜杠' WHERE id % 3 = 0"); err != nil {
		t.Fatal(err)
	}
	// A change written around the application: a feed row that reloads every plan.
	if _, err := app.DB.W.ExecContext(ctx, "INSERT INTO plan_changes (plan_id, changed_at) VALUES (0, CURRENT_TIMESTAMP)"); err != nil {
		t.Fatal(err)
	}
	if err := app.Core.Plans.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		url string
		q   core.PlanQuery
	}{
		{"/api/v1/plans", core.PlanQuery{}},
		{"/api/v1/plans?page=2&page_size=50", core.PlanQuery{Page: 2, PageSize: 50}},
		{"/api/v1/plans?level=2", core.PlanQuery{Level: 2}},
		{"/api/v1/plans?sort=deadline&page_size=7", core.PlanQuery{Sort: "deadline", PageSize: 7}},
		{"/api/v1/plans?occupation=no-such-occupation", core.PlanQuery{Occupation: "no-such-occupation"}},
		{"/api/v1/plans?page=999", core.PlanQuery{Page: 999}},
	}
	escaped := false
	for _, tc := range cases {
		res := app.Client().Get(t, tc.url)
		if res.Status != http.StatusOK {
			t.Fatalf("%s: %d %s", tc.url, res.Status, res.Body)
		}
		page, err := app.Core.SearchPlans(ctx, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := json.NewEncoder(&want).Encode(page); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(res.Body, want.Bytes()) {
			t.Fatalf("%s: the answer differs from encoding/json's\n got %.400s\nwant %.400s", tc.url, res.Body, want.Bytes())
		}
		escaped = escaped || bytes.Contains(res.Body, []byte(`\u003cb\u003e\u0026amp;`)) && bytes.Contains(res.Body, []byte(`\u2028\u2029`))
	}
	if !escaped {
		t.Fatal("no answer carried the escaped plan name: the test did not exercise escaping")
	}
	if ct := app.Client().Get(t, "/api/v1/plans").Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("content type %q", ct)
	}
}
