package domain

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// FeedbackStatus is the state of a supervision feedback (外部督导情况反馈).
type FeedbackStatus string

// Feedback statuses: the supervisor moves a feedback from submitted to
// processing and closes it; a closed feedback may be reopened.
const (
	FeedbackSubmitted  FeedbackStatus = "submitted"  // 已提交
	FeedbackProcessing FeedbackStatus = "processing" // 处理中
	FeedbackClosed     FeedbackStatus = "closed"     // 已办结
)

var feedbackStatusNames = []Option{
	{string(FeedbackSubmitted), "已提交"},
	{string(FeedbackProcessing), "处理中"},
	{string(FeedbackClosed), "已办结"},
}

// feedbackMoves lists the status changes a supervisor may make.
var feedbackMoves = map[FeedbackStatus][]FeedbackStatus{
	FeedbackSubmitted:  {FeedbackProcessing, FeedbackClosed},
	FeedbackProcessing: {FeedbackClosed},
	FeedbackClosed:     {FeedbackProcessing},
}

// FeedbackStatusOptions returns the statuses as filter options, in lifecycle order.
func FeedbackStatusOptions() []Option { return append([]Option(nil), feedbackStatusNames...) }

// Valid reports whether s is a known status.
func (s FeedbackStatus) Valid() bool { return hasOption(feedbackStatusNames, string(s)) }

// Name returns the Chinese name, e.g. "处理中"; "" when unknown.
func (s FeedbackStatus) Name() string { return optionName(feedbackStatusNames, string(s)) }

// Next returns the statuses a supervisor may move s to.
func (s FeedbackStatus) Next() []FeedbackStatus { return feedbackMoves[s] }

// MoveFeedback checks a status change; the error is a conflict in Chinese.
func MoveFeedback(from, to FeedbackStatus) error {
	if !to.Valid() {
		return Invalid("status", "status_invalid", "办理状态不正确")
	}
	for _, n := range from.Next() {
		if n == to {
			return nil
		}
	}
	return Conflict("status_conflict", fmt.Sprintf("反馈当前为“%s”，不能改为“%s”", from.Name(), to.Name()))
}

// ContactPref is how a feedback's sender wants to hear back.
type ContactPref string

// Contact preferences.
const (
	ContactInApp ContactPref = "in_app" // 小程序内答复 (the reply and a notification)
	ContactPhone ContactPref = "phone"  // 电话联系 (besides the reply in the mini-program)
)

var contactPrefNames = []Option{
	{string(ContactInApp), "小程序内答复"},
	{string(ContactPhone), "电话联系"},
}

// ContactPrefOptions returns the contact preferences as picker options.
func ContactPrefOptions() []Option { return append([]Option(nil), contactPrefNames...) }

// Valid reports whether p is a known preference.
func (p ContactPref) Valid() bool { return hasOption(contactPrefNames, string(p)) }

// Name returns the Chinese name; "" when unknown.
func (p ContactPref) Name() string { return optionName(contactPrefNames, string(p)) }

// Limits of a feedback.
const (
	FeedbackMinChars  = 10  // 反馈内容, characters after trimming
	FeedbackMaxChars  = 500 // 反馈内容
	FeedbackReplyMax  = 500 // the supervisor's reply
	MaxFeedbackImages = 3   // images per feedback
)

// EventFeedbackReplied is the outbox event of a supervisor's reply to a
// feedback. Payload "note": the reply (cut to fit); "category": its name.
const EventFeedbackReplied = "feedback.replied"

// CheckFeedbackContent trims a feedback's text and checks its length; the error
// names the field "content".
func CheckFeedbackContent(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		return s, Invalid("content", "content_required", "请填写反馈内容")
	case n < FeedbackMinChars:
		return s, Invalid("content", "content_too_short", fmt.Sprintf("反馈内容至少%d个字，请描述具体情况", FeedbackMinChars))
	case n > FeedbackMaxChars:
		return s, Invalid("content", "content_too_long", fmt.Sprintf("反馈内容最多%d个字", FeedbackMaxChars))
	}
	return s, nil
}

// CheckReply trims a supervisor's reply and checks its length (field "reply").
func CheckReply(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		return s, Invalid("reply", "reply_required", "请填写答复内容")
	case n > FeedbackReplyMax:
		return s, Invalid("reply", "reply_too_long", fmt.Sprintf("答复内容最多%d个字", FeedbackReplyMax))
	}
	return s, nil
}

// IsFeedbackImage reports whether a sniffed type may be attached to a feedback:
// JPEG and PNG photos only.
func IsFeedbackImage(t FileType) bool { return t.Ext == "jpg" || t.Ext == "png" }

// SmallCountLimit is the smallest count the anonymised statistics show exactly:
// a smaller one could single a person out, so it is shown as "<5".
const SmallCountLimit = 5

// StatCount writes a count of people for the anonymised statistics: "<5" for
// 1 to 4, else the number.
func StatCount(n int) string {
	if n > 0 && n < SmallCountLimit {
		return fmt.Sprintf("<%d", SmallCountLimit)
	}
	return strconv.Itoa(n)
}
