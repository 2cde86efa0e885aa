package console_test

import (
	"regexp"
	"strings"
	"testing"

	"skillcert/internal/testenv"
)

var regLocation = regexp.MustCompile(`^/console/plans/\d+/registrations/(\d+)\?ok=(\w+)$`)

// Issue 15, point 9: after a decision the reviewer goes on to the next
// registration waiting for review (oldest first); after the last one, stays.
func TestReviewGoesOnToTheNextPending(t *testing.T) {
	w := newWorld(t, testenv.NewDSN(t, "sqlite"), nil)
	id := createPlan(t, w.a, "N-1", true)
	w.a.Get(t, "/console/plans/"+id+"/codes")
	must(t, w.a.Post(t, "/console/plans/"+id+"/codes", map[string][]string{"count": {"1"}}), 303)
	var code string
	if err := w.app.DB.R.Get(&code, "SELECT code FROM registration_codes WHERE plan_id = ?", id); err != nil {
		t.Fatal(err)
	}
	r1 := testenv.Register(t, w.app, code, testenv.Registrant{Name: "王一"})
	r2 := testenv.Register(t, w.app, code, testenv.Registrant{Name: "王二"})

	page := path("/console/plans/%s/registrations/%d", id, r1)
	w.a.Get(t, page)
	p := w.a.Post(t, page+"/review", map[string][]string{"action": {"approve"}})
	m := regLocation.FindStringSubmatch(p.Location)
	if p.Status != 303 || m == nil || m[1] != path("%d", r2) || m[2] != "approved_next" {
		t.Fatalf("after approving the first: %d %q", p.Status, p.Location)
	}
	must(t, w.a.Get(t, p.Location), 200, "已审核通过。以下是下一条待审核的报名", "王二")

	page = path("/console/plans/%s/registrations/%d", id, r2)
	p = w.a.Post(t, page+"/review", map[string][]string{"action": {"approve"}})
	if p.Status != 303 || !strings.HasPrefix(p.Location, page+"?ok=approved") || strings.Contains(p.Location, "_next") {
		t.Fatalf("after the last: %d %q", p.Status, p.Location)
	}
}
