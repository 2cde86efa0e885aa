package chatbot_test

import (
	"testing"
	"time"

	"skillcert/demo"
	"skillcert/internal/testenv"
)

// TestStaleConversation: after 30 minutes without an answer the conversation
// ends; what was saved stays in the draft, and 报名 with the code picks it up.
func TestStaleConversation(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := startApp(t, dsn, nil)
		f := newFollower(t, app, false)
		c := candidate(t, app, f)
		f.expect("报名 "+demo.Code, "回复 1 确认报名")
		f.expect("1", "报考依据")
		f.expect("4", "已保存 报考依据：以职称或技能证书报考", "文化程度")

		// 29 minutes later the conversation is still there.
		start := time.Now()
		app.Clock.Set(start.Add(29 * time.Minute))
		f.expect("3", "已保存 文化程度：大学专科", "从业年限")

		// 31 minutes after that it is stale: the answer is not taken as 从业年限.
		app.Clock.Set(start.Add(60 * time.Minute))
		f.expect("7", "超过30分钟未回复", "已保存为草稿", "请回复以下文字办理")
		if reg := onlyRegistration(t, c); reg.Basis != "title_or_cert" || reg.Education != "31" || reg.YearsInOccupation != nil {
			t.Fatalf("draft after the timeout: %+v", reg)
		}

		// 取消 also keeps the draft; the same code continues it with its values.
		f.expect("报名 "+demo.Code, "您已报名该评价计划，当前状态：已保存", "回复 1 继续填写")
		f.expect("1", "当前：以职称或技能证书报考", "回复“保留”沿用当前值")
		f.expect("保留", "文化程度", "当前：大学专科")
		f.expect("取消", "已退出报名流程", "已保存为草稿")
		f.expect("3", "请回复以下文字办理")
		if reg := onlyRegistration(t, c); reg.Education != "31" {
			t.Fatalf("draft after 取消: %+v", reg)
		}
	})
}
