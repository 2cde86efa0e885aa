package console_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/testenv"
	"skillcert/wechat/fake"
	"skillcert/wechat/oapush"
)

// mpPushToken is the mini-program message push token of the content-security tests.
const mpPushToken = "mp-push-token-for-tests"

// sendFeedback posts a feedback with photos (multipart) and returns the answer.
func sendFeedback(t *testing.T, c *testenv.Client, fields map[string]string, images ...[]byte) *testenv.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	for _, im := range images {
		fw, _ := mw.CreateFormFile("images", "现场.png")
		fw.Write(im)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.Base+"/api/v1/feedback", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.Send(t, req)
}

func feedbackView(t *testing.T, res *testenv.Response, status int) core.FeedbackView {
	t.Helper()
	if res.Status != status {
		t.Fatalf("want %d, got %d %s", status, res.Status, res.Body)
	}
	var v core.FeedbackView
	res.JSON(t, &v)
	return v
}

// TestFeedbackTextSecurity: the text goes through msgSecCheck (v2) against the
// WeChat stand-in before it is saved: risky is refused at its field and not
// kept; review is kept; when the check is unavailable the text is kept and
// marked unchecked.
func TestFeedbackTextSecurity(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn, nil)
		createPlan(t, w.a, "CS2601", true)
		wx := testenv.WeChat(t)
		wx.MarkTextRisky("违规词甲乙丙")
		wx.MarkTextReview("复核词丁戊己")
		cand := testenv.SignIn(t, w.app)
		fields := func(content string) map[string]string {
			return map[string]string{"plan_no": "CS2601", "category": "exam_discipline", "content": content}
		}

		calls := wx.Calls(fake.PathMsgSecCheck)
		res := sendFeedback(t, cand, fields("考场外有人售卖违规词甲乙丙的资料，请核查。"))
		if res.Status != 400 || res.ErrorCode() != "content_risky" || res.ErrorField() != "content" ||
			!strings.Contains(string(res.Body), "违法违规") {
			t.Fatalf("risky text: %d %s", res.Status, res.Body)
		}
		if wx.Calls(fake.PathMsgSecCheck) != calls+1 {
			t.Fatal("the text was not checked with WeChat")
		}

		ok := feedbackView(t, sendFeedback(t, cand, fields("监考人员离场二十分钟，无人监考。")), http.StatusCreated)
		if ok.ContentCheck != string(domain.CheckPass) {
			t.Fatalf("pass: %+v", ok)
		}
		review := feedbackView(t, sendFeedback(t, cand, fields("考点门口有人发放复核词丁戊己的传单。")), http.StatusCreated)
		if review.ContentCheck != string(domain.CheckReview) {
			t.Fatalf("review: %+v", review)
		}

		// WeChat busy: the text is kept, marked unchecked, and staff see the mark.
		wx.FailNextOn(fake.PathMsgSecCheck, 1, -1)
		kept := feedbackView(t, sendFeedback(t, cand, fields("考场空调损坏，考生中暑无人处理。")), http.StatusCreated)
		if kept.ContentCheck != string(domain.CheckUnchecked) || kept.Content != "考场空调损坏，考生中暑无人处理。" {
			t.Fatalf("unchecked: %+v", kept)
		}
		must(t, w.sup.Get(t, path("/console/feedback/%d", kept.ID)), 200, "考场空调损坏", "未经内容安全检测")

		// Only the three accepted feedback exist.
		var n int
		if err := w.app.DB.R.Get(&n, "SELECT COUNT(*) FROM feedback"); err != nil || n != 3 {
			t.Fatalf("feedback kept: %d %v", n, err)
		}
	})
}

// TestFeedbackPhotoSecurity: photos go to mediaCheckAsync (v2) with a URL the
// stand-in fetches them from; the verdict comes back as a signed
// wxa_media_check push. A risky photo is hidden from staff (page, count and
// file) and its sender is told through the outbox; a passed one stays.
func TestFeedbackPhotoSecurity(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn, map[string]string{"SKILLCERT_MEDIA_CHECK_BASE": testenv.SelfURL, "WECHAT_MP_TOKEN": mpPushToken})
		createPlan(t, w.a, "CS2602", true)
		wx := testenv.WeChat(t)
		good, bad := testenv.PaddedPNG(len(testenv.SamplePNG)+100), testenv.PaddedPNG(len(testenv.SamplePNG)+200)
		wx.MarkMediaRisky(bad)
		cand := testenv.SignIn(t, w.app)

		v := feedbackView(t, sendFeedback(t, cand, map[string]string{"plan_no": "CS2602", "category": "exam_discipline",
			"content": "考场内有考生使用手机查阅资料，照片为证。"}, good, bad), http.StatusCreated)
		if len(v.Images) != 2 || v.Images[0].CheckStatus != "pending" || v.Images[1].CheckStatus != "pending" {
			t.Fatalf("images before the verdict: %+v", v.Images)
		}
		// Until the verdict, staff see both.
		must(t, w.sup.Get(t, path("/console/feedback/%d", v.ID)), 200, "图片1", "图片2")

		// A push not signed with the token is refused.
		forged := oapush.Account{Token: "not-the-token"}
		req, _ := forged.RequestBody(context.Background(), w.app.URL+"/wechat/mp/callback", "o_x", []byte("<xml></xml>"))
		if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 403 {
			t.Fatalf("forged push: %v %v", res, err)
		}

		n, err := wx.DeliverMediaChecks(context.Background(), w.app.URL+"/wechat/mp/callback", mpPushToken)
		if err != nil || n != 2 {
			t.Fatalf("deliver: %d %v", n, err)
		}
		mine := feedbackView(t, cand.Get(t, path("/api/v1/feedback/%d", v.ID)), 200)
		if mine.Images[0].CheckStatus != "pass" || mine.Images[1].CheckStatus != "risky" ||
			mine.Images[1].CheckStatusName != "未通过内容安全检测" {
			t.Fatalf("sender's view after the verdict: %+v", mine.Images)
		}

		// Staff: one photo, the risky one is gone from the page and its file.
		page := w.sup.Get(t, path("/console/feedback/%d", v.ID))
		must(t, page, 200, "图片1")
		if strings.Contains(page.Body, "图片2") || strings.Contains(page.Body, path("/images/%d", mine.Images[1].ID)) {
			t.Fatal("the risky photo is shown to staff")
		}
		if p := w.sup.Get(t, path("/console/feedback/%d/images/%d", v.ID, mine.Images[1].ID)); p.Status != 404 {
			t.Fatalf("risky photo file: %d", p.Status)
		}
		if p := w.sup.Get(t, path("/console/feedback/%d/images/%d", v.ID, mine.Images[0].ID)); p.Status != 200 || p.Body != string(good) {
			t.Fatalf("passed photo file: %d", p.Status)
		}

		// The sender is told, once, whatever WeChat's retries.
		var events int
		if err := w.app.DB.R.Get(&events, "SELECT COUNT(*) FROM outbox WHERE event_kind = ?",
			domain.EventFeedbackImageRejected); err != nil || events != 1 {
			t.Fatalf("rejection events: %d %v", events, err)
		}

		// The fetch URLs are dead once the checks are over.
		var tokens int
		if err := w.app.DB.R.Get(&tokens, "SELECT COUNT(*) FROM feedback_images WHERE check_token IS NOT NULL"); err != nil || tokens != 0 {
			t.Fatalf("fetch tokens left: %d %v", tokens, err)
		}
		if res, err := http.Get(w.app.URL + "/wechat/media-check/" + strings.Repeat("ab", 32)); err != nil || res.StatusCode != 404 {
			t.Fatalf("media URL after the check: %v %v", res, err)
		}

		// WeChat down when the photo is sent: kept, visible, marked unchecked.
		wx.FailNextOn(fake.PathMediaCheckAsync, 1, -1)
		v2 := feedbackView(t, sendFeedback(t, cand, map[string]string{"plan_no": "CS2602", "category": "exam_discipline",
			"content": "考场外排队秩序混乱，无人引导。"}, good), http.StatusCreated)
		again := feedbackView(t, cand.Get(t, path("/api/v1/feedback/%d", v2.ID)), 200)
		if again.Images[0].CheckStatus != "unchecked" || wx.PendingMediaChecks() != 0 {
			t.Fatalf("unchecked photo: %+v (pending %d)", again.Images, wx.PendingMediaChecks())
		}
		must(t, w.sup.Get(t, path("/console/feedback/%d", v2.ID)), 200, "图片1")
	})
}
