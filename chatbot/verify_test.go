package chatbot_test

import (
	"net/http"
	"testing"

	"skillcert/internal/testenv"
	"skillcert/wechat/fake"
)

// TestChatExplainsVerification: the chat tells how to verify (the scan itself
// needs the mini-program) and, for a bound follower, the current state.
func TestChatExplainsVerification(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := startApp(t, dsn, nil)
		f := newFollower(t, app, false)
		f.expect("核验", "我的—实名核验", "开始人脸核验", "这是我的证件号码", "pages/verify/verify")
		f.expect("帮助", "核验 — 了解如何完成实名核验")

		c := candidate(t, app, f)
		f.expect("实名核验", "未核验")
		res := c.Do(t, http.MethodPost, "/api/v1/me/face-verification", nil)
		var fs struct {
			VerifyID string `json:"verify_id"`
		}
		res.JSON(t, &fs)
		testenv.WeChat(t).SetFaceResult(fs.VerifyID, fake.FacePass)
		if res := c.Do(t, http.MethodPost, "/api/v1/me/face-verification/result", map[string]string{"verify_id": fs.VerifyID}); res.Status != http.StatusOK {
			t.Fatalf("finish: %d %s", res.Status, res.Body)
		}
		f.expect("人脸核验", "已核验")
	})
}
