package domain

// ContentCheck is the state of WeChat's content security check of something a
// person wrote or uploaded that staff will read (msgSecCheck for text,
// mediaCheckAsync for photos).
type ContentCheck string

// The states of a content check.
const (
	CheckPending   ContentCheck = "pending"   // submitted, verdict not yet known (photos)
	CheckPass      ContentCheck = "pass"      // WeChat found nothing
	CheckReview    ContentCheck = "review"    // WeChat suggests a person look at it: kept, shown
	CheckRisky     ContentCheck = "risky"     // WeChat judged it risky: text refused, photo hidden from staff
	CheckUnchecked ContentCheck = "unchecked" // the check was unavailable: kept, shown, marked
)

// Valid tells whether c is one of the states.
func (c ContentCheck) Valid() bool {
	switch c {
	case CheckPending, CheckPass, CheckReview, CheckRisky, CheckUnchecked:
		return true
	}
	return false
}

// Name is the state in Chinese, as staff and the sender see it.
func (c ContentCheck) Name() string {
	switch c {
	case CheckPending:
		return "内容安全检测中"
	case CheckPass:
		return "已通过内容安全检测"
	case CheckReview:
		return "内容安全检测建议人工复核"
	case CheckRisky:
		return "未通过内容安全检测"
	case CheckUnchecked:
		return "未经内容安全检测"
	}
	return string(c)
}

// EventFeedbackImageRejected is the outbox event that tells the sender a photo
// of their feedback failed WeChat's content security check and is not shown
// to the supervisor.
const EventFeedbackImageRejected = "feedback.image_rejected"
