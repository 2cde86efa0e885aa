package handlers_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"skillcert/domain"
	"skillcert/internal/testenv"
	"skillcert/repo"
)

func TestFeedbackCategories(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		p, _ := e.plan(t, planSpec{})
		c := e.candidate(t)
		cats := e.app.Core.Options().FeedbackCategories
		if len(cats) != 5 {
			t.Fatalf("categories = %v", cats)
		}
		for _, cat := range cats {
			b := fbBody(p.PlanNo)
			b["category"] = cat.Code
			v := feedbackOK(t, postFeedback(t, c, b), http.StatusCreated)
			if v.Category != cat.Code || v.CategoryName != cat.Name || v.Status != "submitted" || v.StatusName != "已提交" ||
				v.Plan.PlanNo != p.PlanNo || v.Plan.InstitutionName != e.inst.Name || v.RegistrationID != nil ||
				v.Reply != "" || v.RepliedAt != nil || v.Anonymous || v.ContactPref != "in_app" || len(v.Images) != 0 {
				t.Fatalf("category %s: %+v", cat.Code, v)
			}
		}
		page := listFeedback(t, c)
		if page.Total != 5 || len(page.Items) != 5 || page.Items[0].Category != cats[4].Code {
			t.Fatalf("list: %+v", page)
		}
		// /meta offers the categories, the contact preferences and the statuses.
		meta := e.app.Client().Get(t, "/api/v1/meta").Map(t)
		for _, k := range []string{"feedback_categories", "contact_prefs", "feedback_statuses", "training_occupations", "training_cities"} {
			if l, _ := meta[k].([]any); len(l) == 0 {
				t.Fatalf("meta %s: %v", k, meta[k])
			}
		}
	})
}

func TestFeedbackValidation(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		p, code := e.plan(t, planSpec{})
		draftPlan, _ := e.plan(t, planSpec{State: repo.PlanDraft})
		c := e.candidate(t)
		other := e.candidate(t)
		theirs := e.draft(t, other, code)

		with := func(change map[string]any) map[string]any {
			b := fbBody(p.PlanNo)
			for k, v := range change {
				if v == nil {
					delete(b, k)
				} else {
					b[k] = v
				}
			}
			return b
		}
		cases := []struct {
			name   string
			body   map[string]any
			status int
			code   string
			field  string
		}{
			{"no target", with(map[string]any{"plan_no": nil}), 400, "target_required", "plan_no"},
			{"both targets", with(map[string]any{"registration_id": 1}), 400, "target_ambiguous", "plan_no"},
			{"unknown plan", with(map[string]any{"plan_no": "NOPE"}), 404, "plan_not_found", "plan_no"},
			{"unpublished plan", with(map[string]any{"plan_no": draftPlan.PlanNo}), 404, "plan_not_found", "plan_no"},
			{"someone else's registration", with(map[string]any{"plan_no": nil, "registration_id": theirs.ID}), 404,
				"registration_not_found", "registration_id"},
			{"no category", with(map[string]any{"category": ""}), 400, "category_required", "category"},
			{"unknown category", with(map[string]any{"category": "bribery"}), 400, "category_invalid", "category"},
			{"blank content", with(map[string]any{"content": "     "}), 400, "content_required", "content"},
			{"content of 9", with(map[string]any{"content": "考场纪律混乱不堪啊"}), 400, "content_too_short", "content"},
			{"content of 501", with(map[string]any{"content": strings.Repeat("乱", 501)}), 400, "content_too_long", "content"},
			{"unknown contact", with(map[string]any{"contact_pref": "sms"}), 400, "contact_pref_invalid", "contact_pref"},
			{"anonymous with phone", with(map[string]any{"contact_pref": "phone", "anonymous": true}), 400,
				"anonymous_contact", "contact_pref"},
			{"bad phone", with(map[string]any{"contact_pref": "phone", "contact_phone": "12345"}), 400,
				"invalid_phone", "contact_phone"},
			{"no phone bound", with(map[string]any{"contact_pref": "phone"}), 400, "phone_required", "contact_phone"},
			{"not JSON", nil, 400, "bad_json", ""},
		}
		for _, tc := range cases {
			var res *testenv.Response
			if tc.body == nil {
				req, _ := http.NewRequest(http.MethodPost, c.Base+"/api/v1/feedback", strings.NewReader("{"))
				req.Header.Set("Content-Type", "application/json")
				res = c.Send(t, req)
			} else {
				res = postFeedback(t, c, tc.body)
			}
			if res.Status != tc.status || res.ErrorCode() != tc.code || res.ErrorField() != tc.field {
				t.Errorf("%s: want %d %s at %q, got %d %s", tc.name, tc.status, tc.code, tc.field, res.Status, res.Body)
			}
		}
		// Every bad field at once.
		res := postFeedback(t, c, map[string]any{"plan_no": p.PlanNo, "category": "x", "content": "短", "contact_pref": "fax"})
		var body struct {
			Error struct {
				Fields []domain.FieldError `json:"fields"`
			} `json:"error"`
		}
		res.JSON(t, &body)
		if res.Status != 400 || len(body.Error.Fields) != 3 {
			t.Fatalf("several bad fields: %d %s", res.Status, res.Body)
		}
		// Multipart fields are checked too.
		wantFieldError(t, postFeedbackForm(t, c, "/api/v1/feedback", map[string]any{"registration_id": "abc",
			"category": "fees", "content": "收费标准与公示不一致，多收了材料费。"}), 400, "invalid_id", "registration_id")
		wantFieldError(t, postFeedbackForm(t, c, "/api/v1/feedback", map[string]any{"plan_no": p.PlanNo,
			"category": "fees", "content": "收费标准与公示不一致，多收了材料费。", "anonymous": "maybe"}), 400, "invalid_bool", "anonymous")

		// Own registration, entered phone (stored sealed, shown masked); bound phone.
		mine := e.draft(t, c, code)
		v := feedbackOK(t, postFeedback(t, c, with(map[string]any{"plan_no": nil, "registration_id": mine.ID,
			"contact_pref": "phone", "contact_phone": "138 0013 8000"})), http.StatusCreated)
		if v.RegistrationID == nil || *v.RegistrationID != mine.ID || v.Plan.ID != p.ID || v.ContactPhoneMasked != "138****8000" ||
			v.ContactPrefName != "电话联系" {
			t.Fatalf("about a registration: %+v", v)
		}
		if raw := rawColumn(t, e.app, "feedback", "contact_phone_enc"); strings.Contains(raw, "13800138000") || raw == "" {
			t.Fatalf("contact phone stored in clear or not at all: %q", raw)
		}
		if res := bindPhone(t, c, "13912345678"); res.Status != http.StatusOK {
			t.Fatalf("bind phone: %d %s", res.Status, res.Body)
		}
		v = feedbackOK(t, postFeedback(t, c, with(map[string]any{"contact_pref": "phone"})), http.StatusCreated)
		if v.ContactPhoneMasked != "139****5678" {
			t.Fatalf("bound phone: %+v", v)
		}
		// Someone else's feedback is not found.
		wantFieldError(t, other.Get(t, fmt.Sprintf("/api/v1/feedback/%d", v.ID)), 404, "feedback_not_found", "")
		if got := feedbackOK(t, c.Get(t, fmt.Sprintf("/api/v1/feedback/%d", v.ID)), 200); got.ID != v.ID {
			t.Fatalf("get own: %+v", got)
		}
	})
}

func TestFeedbackImages(t *testing.T) {
	testenv.ForEachEngineAndStore(t, func(t *testing.T, dsn string, blobEnv map[string]string) {
		e := newRegEnv(t, dsn, testenv.WithEnv(blobEnv, map[string]string{"SKILLCERT_MAX_UPLOAD_MB": "1"}))
		p, code := e.plan(t, planSpec{})
		c := e.candidate(t)
		fields := map[string]any{"plan_no": p.PlanNo, "category": "exam_organization",
			"content": "考点未按通知时间开考，推迟了一个小时。", "anonymous": "true"}
		const path = "/api/v1/feedback"

		// Refused: by content (an .exe or a PDF named .jpg), count, size; nothing is kept.
		wantFieldError(t, postFeedbackForm(t, c, path, fields, fbFile{"现场.jpg", sampleEXE}), 400, "image_type", "images")
		wantFieldError(t, postFeedbackForm(t, c, path, fields, fbFile{"现场.png", samplePNG}, fbFile{"通知.jpg", samplePDF}),
			400, "image_type", "images")
		four := []fbFile{{"1.png", samplePNG}, {"2.png", samplePNG}, {"3.jpg", sampleJPG}, {"4.jpg", sampleJPG}}
		wantFieldError(t, postFeedbackForm(t, c, path, fields, four...), 400, "too_many_images", "images")
		wantFieldError(t, postFeedbackForm(t, c, path, fields, fbFile{"大.png", bigPNG(1<<20 + 1)}), 413, "image_too_large", "images")
		wantFieldError(t, postFeedbackForm(t, c, path, fields, fbFile{"空.png", nil}), 400, "image_empty", "images")
		if n := listFeedback(t, c).Total; n != 0 {
			t.Fatalf("%d feedback kept after refusals", n)
		}

		// Accepted: names cleaned, the extension of the detected type; at the limit exactly.
		v := feedbackOK(t, postFeedbackForm(t, c, path, fields, fbFile{`C:\相册\现场.pdf`, samplePNG},
			fbFile{"IMG_0001.JPEG", sampleJPG}), http.StatusCreated)
		if len(v.Images) != 2 || v.Images[0].FileName != "现场.png" || v.Images[0].ContentType != "image/png" ||
			v.Images[1].FileName != "IMG_0001.jpg" || v.Images[1].Seq != 2 || !v.Anonymous {
			t.Fatalf("images: %+v", v)
		}
		img := fmt.Sprintf("%s/%d/images/%d", path, v.ID, v.Images[0].ID)
		if res := c.Get(t, img); res.Status != 200 || !bytes.Equal(res.Body, samplePNG) || res.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("download: %d %q", res.Status, res.Header)
		}
		wantFieldError(t, e.candidate(t).Get(t, img), 404, "feedback_not_found", "")

		// One more photo later (the mini-program sends one a request), then no more than three.
		more := fmt.Sprintf("%s/%d/images", path, v.ID)
		big := bigPNG(1 << 20)
		v = feedbackOK(t, postFeedbackForm(t, c, more, nil, fbFile{"补充.png", big}), http.StatusCreated)
		if len(v.Images) != 3 || v.Images[2].Size != 1<<20 {
			t.Fatalf("added: %+v", v.Images)
		}
		wantFieldError(t, postFeedbackForm(t, c, more, nil, fbFile{"4.png", samplePNG}), 400, "too_many_images", "images")
		wantFieldError(t, postFeedbackForm(t, e.candidate(t), more, nil, fbFile{"x.png", samplePNG}), 404, "feedback_not_found", "")

		// An hour after sending, no more photos.
		v2 := feedbackOK(t, postFeedbackForm(t, c, path, fields), http.StatusCreated)
		e.app.Clock.Set(regNow.Add(2 * time.Hour))
		wantFieldError(t, postFeedbackForm(t, c, fmt.Sprintf("%s/%d/images", path, v2.ID), nil, fbFile{"x.png", samplePNG}),
			409, "feedback_images_closed", "")

		// A photo shares its bytes with an identical attachment; deleting the attachment keeps the photo.
		d := e.draft(t, c, code)
		regOK(t, put(t, c, d.ID, map[string]any{"basis": domain.BasisWorkYears, "education": "21"}), http.StatusOK)
		a := attachmentOK(t, upload(t, c, d.ID, "diploma", "毕业证.png", big))
		if res := c.Do(t, http.MethodDelete, regPath(d.ID, fmt.Sprintf("/attachments/%d", a.ID)), nil); res.Status != 204 {
			t.Fatalf("delete attachment: %d %s", res.Status, res.Body)
		}
		res := c.Get(t, fmt.Sprintf("%s/%d/images/%d", path, v.ID, v.Images[2].ID))
		if res.Status != 200 || !bytes.Equal(res.Body, big) {
			t.Fatalf("photo lost with the attachment: %d", res.Status)
		}
	})
}

func TestFeedbackRateLimit(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		p, _ := e.plan(t, planSpec{})
		c := e.candidate(t)
		// Refused feedback does not count.
		for i := 0; i < 8; i++ {
			b := fbBody(p.PlanNo)
			b["content"] = "太短"
			wantFieldError(t, postFeedback(t, c, b), 400, "content_too_short", "content")
		}
		for i := 0; i < 5; i++ {
			feedbackOK(t, postFeedback(t, c, fbBody(p.PlanNo)), http.StatusCreated)
		}
		res := postFeedback(t, c, fbBody(p.PlanNo))
		wantFieldError(t, res, 429, "feedback_rate_limited", "")
		if res.Header.Get("Retry-After") == "" || res.Map(t)["retry_after_seconds"] == nil {
			t.Fatalf("429 without Retry-After: %v %s", res.Header, res.Body)
		}
		// With photos too.
		wantFieldError(t, postFeedbackForm(t, c, "/api/v1/feedback", fbBody(p.PlanNo), fbFile{"a.png", samplePNG}),
			429, "feedback_rate_limited", "")
		// Another candidate is not limited; the next day the limit starts again.
		feedbackOK(t, postFeedback(t, e.candidate(t), fbBody(p.PlanNo)), http.StatusCreated)
		e.app.Clock.Set(regNow.Add(24 * time.Hour))
		feedbackOK(t, postFeedback(t, c, fbBody(p.PlanNo)), http.StatusCreated)
		if n := listFeedback(t, c).Total; n != 6 {
			t.Fatalf("%d feedback, want 6", n)
		}
	})
}
