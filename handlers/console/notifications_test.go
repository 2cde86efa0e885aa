package console_test

import (
	"testing"
	"time"

	"skillcert/internal/testenv"
)

// TestFailedNotificationsPage: admins see the notifications the dispatcher gave
// up on and can send one again (audited); other staff cannot reach the page.
func TestFailedNotificationsPage(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn, nil)
		db := w.app.DB
		now := time.Now().UTC().Truncate(time.Microsecond)
		res, err := db.W.Exec(`INSERT INTO outbox (event_kind, dedupe_key, payload, state, channel, attempts,
			next_attempt_at, last_error, created_at) VALUES ('registration.approved', 'test:failed:1', '{}', 'failed',
			'subscribe', 8, ?, 'errcode 45009: api freq out of limit', ?)`, now, now)
		if err != nil {
			t.Fatal(err)
		}
		id, _ := res.LastInsertId()

		must(t, w.admin.Get(t, "/console/notifications"), 200, "发送失败的通知", "报名审核通过", "小程序订阅消息", "api freq out of limit")
		p := w.admin.Post(t, path("/console/notifications/%d/requeue", id), nil)
		if p.Status != 303 {
			t.Fatalf("requeue: %d %s", p.Status, excerpt(p.Body))
		}
		var state string
		if err := db.R.Get(&state, `SELECT state FROM outbox WHERE id = ?`, id); err != nil || state != "pending" {
			t.Fatalf("after requeue: state %q %v", state, err)
		}
		must(t, w.admin.Get(t, "/console/notifications"), 200, "暂无发送失败的通知")
		must(t, w.admin.Get(t, "/console/audit"), 200, "重新发送通知")
		// A second requeue finds nothing failed.
		w.admin.Get(t, "/console/notifications")
		if p := w.admin.Post(t, path("/console/notifications/%d/requeue", id), nil); p.Status != 404 {
			t.Fatalf("second requeue: %d", p.Status)
		}
		for _, c := range []*testenv.ConsoleClient{w.a, w.sup} {
			if p := c.Get(t, "/console/notifications"); p.Status != 403 && p.Status != 404 {
				t.Fatalf("non-admin reached the page: %d", p.Status)
			}
		}
	})
}
