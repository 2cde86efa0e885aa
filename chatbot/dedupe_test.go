package chatbot_test

import (
	"strings"
	"testing"
	"time"

	"skillcert/demo"
	"skillcert/internal/testenv"
	"skillcert/server"
	"skillcert/wechat/oapush"
)

// TestRetriesHaveOneEffect sends the same MsgId three times at a step that
// changes state, and the same event three times: one effect, the same reply,
// with the de-duplication in the database and in Redis.
func TestRetriesHaveOneEffect(t *testing.T) {
	t.Run("database", func(t *testing.T) {
		testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
			retriesHaveOneEffect(t, startApp(t, dsn, nil))
		})
	})
	t.Run("redis", func(t *testing.T) {
		url := testenv.SharedRedisURL(t)
		app := startApp(t, testenv.NewDSN(t, "sqlite"), func(cfg *server.Config) { cfg.RedisURL = url })
		if app.Redis == nil {
			t.Fatal("Redis not in use")
		}
		retriesHaveOneEffect(t, app)
	})
}

func retriesHaveOneEffect(t *testing.T, app *testenv.App) {
	f := newFollower(t, app, false)
	c := candidate(t, app, f)
	f.expect("报名 "+demo.Code, "回复 1 确认报名")
	f.expect("1", "报考依据")

	// 报考依据 = 以工作年限报考, delivered three times.
	m := oapush.Text("", msgIDs.Add(1), "3")
	var replies []string
	for range 3 {
		replies = append(replies, f.push(m).Content)
	}
	if replies[0] != replies[1] || replies[1] != replies[2] || !strings.Contains(replies[0], "文化程度") {
		t.Fatalf("retries must get the first reply:\n%q", replies)
	}
	// One step only: the next answer is taken as 文化程度, not 报考依据.
	f.expect("2", "已保存 文化程度：大学本科", "从业年限")
	if reg := onlyRegistration(t, c); reg.Basis != "work_years" || reg.Education != "21" {
		t.Fatalf("form %+v", reg)
	}

	// A wrong bind code three times counts as one failure (the limit is 5).
	g := newFollower(t, app, false)
	wrong := oapush.Text("", msgIDs.Add(1), "绑定 999999")
	for range 3 {
		g.push(wrong)
	}
	for range 4 {
		g.expect("绑定 999999", "绑定码无效或已过期")
	}

	// The same subscribe event (same FromUserName and CreateTime) three times.
	h := newFollower(t, app, true)
	ev := event("subscribe")
	ev.CreateTime = time.Now().Unix()
	var welcome []string
	for range 3 {
		welcome = append(welcome, h.push(ev).Content)
	}
	if welcome[0] != welcome[2] || !strings.Contains(welcome[0], "欢迎关注") {
		t.Fatalf("event retries: %q", welcome)
	}
}
