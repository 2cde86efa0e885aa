package chatbot_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"skillcert/demo"
	"skillcert/internal/testenv"
)

// fullWidth types ASCII letters and digits as a Chinese input method does.
func fullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > ' ' && r < 0x7f {
			r += 0xFF01 - '!'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestChatCandidateYear: a full-width, dashed code; 记录 says what is due (a
// draft holds no seat); after cancelling, the same code registers again.
func TestChatCandidateYear(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := startApp(t, dsn, nil)
		f := newFollower(t, app, false)
		c := candidate(t, app, f)
		code := fullWidth(demo.Code[:4]) + "－" + fullWidth(demo.Code[4:])
		f.expect("报名 "+code, "评价计划编号：2501", "回复 1 确认报名")
		f.expect("1", "已创建报名草稿（未提交，草稿不占名额）")
		f.expect("取消", "已")
		f.expect("记录", "报名记录（共1条）", "状态：未提交", "待提交：报名于", "24:00截止", "草稿不占名额")

		reg := onlyRegistration(t, c)
		if res := c.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/registrations/%d/cancel", reg.ID), nil); res.Status != http.StatusOK {
			t.Fatalf("cancel: %d %s", res.Status, res.Body)
		}
		f.expect("记录", "状态：已撤销")
		f.expect("报名 "+strings.ToLower(demo.Code), "报名已撤销，可重新报名", "回复 1 重新报名")
		f.expect("1", "已创建报名草稿")
		if got := onlyRegistration(t, c); got.ID != reg.ID || got.Status != "draft" {
			t.Fatalf("registered again: %+v", got)
		}
	})
}
