package chatbot_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"skillcert/demo"
	"skillcert/internal/testenv"
	"skillcert/wechat/oapush"
)

// FuzzCallback posts random bodies to the callback: unsigned (must be 403),
// signed in plain mode, encrypted in safe mode, with a forged msg_signature,
// and as the text of a message from a bound follower (random answers to the
// conversation). The server must never panic nor answer 5xx, and every reply
// must be WeChat XML of at most 2048 bytes of text.
func FuzzCallback(f *testing.F) {
	app := testenv.Start(f, testenv.NewDSN(f, "sqlite"), testenv.Options{Demo: true, DemoPlans: 10,
		// Compatible mode: plain and safe-mode pushes are both fuzzed.
		Env: map[string]string{"WECHAT_OA_TOKEN": testToken, "WECHAT_OA_AES_KEY": testAESKey,
			"WECHAT_OA_MESSAGE_MODE": "compatible"}})
	plain := oapush.Account{Token: testToken, AESKey: testAESKey, AppID: "wx-fake-oa"}
	safe := plain
	safe.Safe = true
	openID := testenv.NewOpenID()
	c := testenv.SignInWithIdentity(f, app, "赵六", "01", testenv.RandomIDNumber("01"))
	req, err := plain.Request(context.Background(), app.URL+"/wechat/callback",
		oapush.Text(openID, msgIDs.Add(1), "绑定 "+bindCode(f, c)))
	if err != nil {
		f.Fatal(err)
	}
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusOK {
		f.Fatalf("bind: %v %v", res, err)
	}

	for _, s := range []string{"报名", demo.Code, "1", "3", "2", "5", "13812345678", "某某公司", "提交", "取消",
		"查询 电工 广州", "记录", "进度", "绑定 123456", "<xml><MsgType>text</MsgType></xml>",
		"<xml><ToUserName>a</ToUserName><Encrypt>AAAA</Encrypt></xml>", "\x00\xff]]>"} {
		for mode := range uint8(5) {
			f.Add(mode, []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, mode uint8, body []byte) {
		url := app.URL + "/wechat/callback"
		acct, raw := plain, body
		switch mode % 5 {
		case 0: // unsigned
			res, err := http.Post(url, "text/xml", strings.NewReader(string(body)))
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusForbidden {
				t.Fatalf("unsigned: %d", res.StatusCode)
			}
			return
		case 2:
			acct = safe
		case 3: // encrypted mode announced, msg_signature forged
			acct = plain
		case 4: // the text of a message from the bound follower
			raw = oapush.Text(openID, msgIDs.Add(1), string(body)).XML(app.Clock.Now())
		}
		req, err := acct.RequestBody(context.Background(), url, openID, raw)
		if err != nil {
			t.Fatal(err)
		}
		if mode%5 == 3 {
			q := req.URL.Query()
			q.Set("encrypt_type", "aes")
			q.Set("msg_signature", "forged")
			req.URL.RawQuery = q.Encode()
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r, rerr := acct.ReadReply(res)
		res.Body.Close()
		if r.Status >= 500 {
			t.Fatalf("mode %d: status %d %s", mode%5, r.Status, r.Body)
		}
		if r.Status == http.StatusOK && !r.Success {
			if rerr != nil {
				t.Fatalf("mode %d: unreadable reply: %v", mode%5, rerr)
			}
			if len(r.Content) > 2048 {
				t.Fatalf("reply of %d bytes", len(r.Content))
			}
		}
	})
}
