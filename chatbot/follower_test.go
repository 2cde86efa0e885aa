package chatbot_test

import (
	"strings"
	"testing"

	"skillcert/chatbot"
	"skillcert/internal/oapush"
	"skillcert/internal/testenv"
)

// speak sends a voice message with WeChat's speech recognition result.
func (f *follower) speak(recognition string, want ...string) string {
	f.t.Helper()
	r := f.push(oapush.Voice("", msgIDs.Add(1), recognition))
	for _, w := range want {
		if !strings.Contains(r.Content, w) {
			f.t.Fatalf("reply to voice %q lacks %q:\n%s", recognition, w, r.Content)
		}
	}
	return r.Content
}

// TestVoiceMessages: a voice message is read as the text WeChat recognised —
// commands with the full stop recognition adds, a code read aloud letter by
// letter with Chinese digits, full-width or spaced, numbers said as words —
// and one without recognition is answered as before.
func TestVoiceMessages(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := startApp(t, dsn, nil)
		f := newFollower(t, app, true)
		f.speak("", "暂时只能识别文字消息")
		f.speak("帮助。", "请回复以下文字办理")
		f.speak("报名。", "8位报名码")
		f.speak("R G Z N 二五 G D。", "评价计划编号：2501", "回复 1 确认报名")
		f.speak("零。", "已取消")
		f.speak("ＲＧＺＮ　２５ｇｄ", "评价计划编号：2501") // a code on its own, full-width and spaced
		f.speak("取消！", "已退出报名")
		f.speak("报名 R，G，Z，N，两五，G，D", "评价计划编号：2501")
		f.speak("取消", "已退出报名")
		f.speak("记录？", "您还没有报名记录") // the account made by 报名 has none yet
		f.speak("进度。", "暂无证书进度")
		f.speak("今天天气怎么样", "请回复以下文字办理")
	})
}

// TestMenuClickKeys: every click of the custom menu (chatbot.Menu, set by
// `skillcert oa-menu`) gets its answer, the view buttons' events none, and
// the old keys still work.
func TestMenuClickKeys(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := startApp(t, dsn, nil)
		f := newFollower(t, app, false)
		want := map[string]string{chatbot.MenuKeyRegister: "8位报名码", chatbot.MenuKeyHelp: "请回复以下文字办理"}
		var walk func([]chatbot.MenuButton)
		seen := 0
		walk = func(bs []chatbot.MenuButton) {
			for _, b := range bs {
				switch {
				case len(b.Sub) > 0:
					walk(b.Sub)
				case b.Type == "click":
					w, ok := want[b.Key]
					if !ok {
						t.Fatalf("menu key %s has no expected answer", b.Key)
					}
					f.push(eventClick(b.Key)).mustContain(t, w)
					f.say("取消")
					seen++
				case b.Type == "view":
					if !strings.HasPrefix(b.URL, app.URL+"/web/") {
						t.Fatalf("view %s → %s", b.Name, b.URL)
					}
					if r := f.push(oapush.Event("", "VIEW", b.URL)); !r.Success {
						t.Fatalf("a VIEW event gets no reply: %q", r.Content)
					}
				}
			}
		}
		walk(chatbot.Menu(app.URL))
		if seen != len(want) {
			t.Fatalf("%d click keys in the menu, want %d", seen, len(want))
		}
		for key, words := range map[string]string{chatbot.MenuKeyRecords: "报名记录", chatbot.MenuKeyProgress: "证书进度",
			chatbot.MenuKeySearch: "请发送：查询", chatbot.MenuKeyBind: "获取绑定码"} {
			f.push(eventClick(key)).mustContain(t, words)
		}
	})
}
