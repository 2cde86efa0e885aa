package core

import (
	"context"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// AuditNotificationRequeue is the audited action of requeueing a failed
// notification.
const AuditNotificationRequeue = "notification.requeue"

// FailedNotification is an outbox event the dispatcher gave up on: what it was
// about, the channel it failed on, how many sends it took and the last error.
type FailedNotification struct {
	ID             int64     `json:"id"`
	Event          string    `json:"event"`
	CandidateID    int64     `json:"candidate_id"`
	RegistrationID int64     `json:"registration_id"`
	Channel        string    `json:"channel"`
	Attempts       int       `json:"attempts"`
	LastError      string    `json:"last_error"`
	CreatedAt      time.Time `json:"created_at"`
	FailedAt       time.Time `json:"failed_at"`
}

// ListFailedNotifications lists the notifications given up on, newest first;
// admins only.
func (c *Core) ListFailedNotifications(ctx context.Context, st *Staff, page, size int) (Page[FailedNotification], error) {
	if !st.Is(domain.RoleAdmin) {
		return Page[FailedNotification]{}, errStaffForbidden
	}
	page, size = consolePage(page, size)
	rows, total, err := c.db.FailedOutbox(ctx, size, (page-1)*size)
	if err != nil {
		return Page[FailedNotification]{}, domain.Internal(err)
	}
	out := Page[FailedNotification]{Items: make([]FailedNotification, 0, len(rows)), Total: total, Page: page, PageSize: size}
	for _, r := range rows {
		out.Items = append(out.Items, failedView(&r))
	}
	return out, nil
}

// RequeueNotification puts a failed notification back in the queue (after its
// cause was fixed: a template id, WeChat's quota …); admins only, audited.
func (c *Core) RequeueNotification(ctx context.Context, st *Staff, id int64) error {
	if !st.Is(domain.RoleAdmin) {
		return errStaffForbidden
	}
	ok, err := c.db.RequeueOutbox(ctx, id, c.now().UTC().Truncate(time.Microsecond))
	if err != nil {
		return domain.Internal(err)
	}
	if !ok {
		return domain.NotFound("notification_not_failed", "该通知不存在或不是发送失败状态")
	}
	c.auditNow(ctx, st, AuditNotificationRequeue, "outbox", id, "")
	return nil
}

func failedView(r *repo.OutboxRow) FailedNotification {
	return FailedNotification{ID: r.ID, Event: r.Kind, CandidateID: r.CandidateID.Int64,
		RegistrationID: r.RegistrationID.Int64, Channel: r.Channel, Attempts: r.Attempts,
		LastError: r.LastError, CreatedAt: r.CreatedAt, FailedAt: r.NextAttemptAt}
}
