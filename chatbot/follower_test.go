package chatbot_test

import (
	"strings"
	"testing"

	"skillcert/chatbot"
	"skillcert/core"
	"skillcert/internal/testenv"
	"skillcert/wechat/oapush"
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

// TestBindCodeMergesTheFollowersAccount: a follower who registered through the
// official account (a candidate the chat made) and later opens the
// mini-program sends the mini-program's bind code: the mini-program's empty
// account merges into the follower's — its session ends and the next sign-in
// of the mini-program is the follower's candidate, with the identity. When
// both accounts hold an identity nothing is merged and the code stays unused.
func TestBindCodeMergesTheFollowersAccount(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := startApp(t, dsn, nil)
		ctx := t.Context()
		f := newFollower(t, app, false)
		f.expect("报名", "8位报名码")
		f.expect("取消", "已退出报名")
		var oaCand int64
		if err := app.DB.R.Get(&oaCand, "SELECT id FROM candidates WHERE openid = ?", "oa:"+f.openID); err != nil {
			t.Fatalf("the chat made no candidate: %v", err)
		}
		number := testenv.RandomIDNumber("01")
		f.secrets = append(f.secrets, number)
		if _, err := app.Core.BindIdentity(ctx, oaCand, core.IdentityInput{Name: "吴敏", IDType: "01", IDNumber: number,
			PrivacyConsent: true, ConsentVersion: "test-1"}); err != nil {
			t.Fatal(err)
		}

		// Both with an identity: refused, the code stays good.
		busy := testenv.SignInWithIdentity(t, app, "郑一", "01", testenv.RandomIDNumber("01"))
		busyCode := bindCode(t, busy)
		f.expect("绑定 "+busyCode, "无法自动合并")
		if cand, err := app.Core.FindOACandidate(ctx, f.openID, ""); err != nil || cand != oaCand {
			t.Fatalf("the follower moved to %d (%v)", cand, err)
		}

		// The mini-program's new, empty account: merged into the follower's.
		mp := testenv.SignIn(t, app)
		f.expect("绑定 "+bindCode(t, mp), "关联成功")
		if res := mp.Get(t, "/api/v1/me"); res.Status != 401 {
			t.Fatalf("the merged account's session still works: %d", res.Status)
		}
		again := testenv.SignInAs(t, app, mp.OpenID)
		if again.CandidateID != oaCand {
			t.Fatalf("the mini-program signs in as %d, want the follower's %d", again.CandidateID, oaCand)
		}
		var me core.Me
		again.Get(t, "/api/v1/me").JSON(t, &me)
		if !me.HasIdentity || me.Name != "吴敏" || !me.OABound {
			t.Fatalf("me after the merge: %+v", me)
		}
		if cand, err := app.Core.FindOACandidate(ctx, f.openID, ""); err != nil || cand != oaCand {
			t.Fatalf("the follower is bound to %d (%v), want %d", cand, err, oaCand)
		}
		// The refused code was not used up: its owner still binds another follower.
		g := newFollower(t, app, false)
		g.expect("绑定 "+busyCode, "关联成功")
	})
}
