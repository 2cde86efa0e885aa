package domain

// Outbox event kinds beyond the registration actions (see actions.go for
// registration.*). Producers enqueue them in the transaction of the change; the
// dispatcher (notify/) turns each into a WeChat message. Payload keys the
// dispatcher reads are listed with each kind (all optional, strings).
const (
	// EventPlanChanged: the plan's dates or place changed. Payload "changes":
	// what changed, in Chinese (e.g. "评价开始日期改为2026年12月20日").
	EventPlanChanged = "plan.changed"
	// EventPlanCancelled: the institution cancelled the plan. Payload "reason".
	EventPlanCancelled = "plan.cancelled"
	// EventExamReminder: the day before 评价开始日期, 09:00 Beijing time, once per
	// registration (enqueued by core's reminder scheduler). Payload "eval_start".
	EventExamReminder = "exam.reminder"
	// EventResultPublished: the registration's results were published. Payload
	// "summary" (e.g. "理论合格，实操合格"), optional.
	EventResultPublished = "result.published"
	// EventCertStage: the certificate reached a stage. Payload "stage": the
	// CertStage code; "cert_no" when the number is known.
	EventCertStage = "certificate.stage"

	// Issue 25: what keeps a candidate from missing a plan. Each is once per
	// registration (seat.freed: per subscription). Payload "note": the message.

	// EventDeadlineIn3Days, EventDeadlineIn1Day: a draft not submitted 3 days and
	// 1 day before the plan's registration deadline (from 09:00 Beijing time).
	EventDeadlineIn3Days = "reminder.deadline_3d"
	EventDeadlineIn1Day  = "reminder.deadline_1d"
	// EventReturnPending: a registration returned for changes (退回修改) and not
	// resubmitted one day later.
	EventReturnPending = "reminder.return_pending"
	// EventPlanFullForDraft: the plan of a draft has filled up (drafts hold no seat).
	EventPlanFullForDraft = "plan.full"
	// EventSeatFreed: a full plan the candidate asked about (有空位提醒我) has a
	// seat again; it is not reserved.
	EventSeatFreed = "plan.seat_freed"
)

// SubscribeTemplate is an event kind and the mini-program subscribe template
// that carries it, as the mini-program needs them for wx.requestSubscribeMessage.
type SubscribeTemplate struct {
	Event      string `json:"event"`
	TemplateID string `json:"template_id"`
}
