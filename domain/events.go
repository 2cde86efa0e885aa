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
)

// SubscribeTemplate is an event kind and the mini-program subscribe template
// that carries it, as the mini-program needs them for wx.requestSubscribeMessage.
type SubscribeTemplate struct {
	Event      string `json:"event"`
	TemplateID string `json:"template_id"`
}
