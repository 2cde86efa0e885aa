package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"skillcert/core"
	"skillcert/internal/testenv"
	"skillcert/wechat/fake"
)

// intention is a valid training intention body, to change per test.
func intention(change map[string]any) map[string]any {
	b := map[string]any{"occupation": "电工", "level": 4, "city": "广州市", "preferred_time": "周末",
		"phone": "13800138000", "note": "希望晚上上课", "contact_consent": true}
	for k, v := range change {
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
	}
	return b
}

func postIntention(t *testing.T, c *testenv.Client, body map[string]any) *testenv.Response {
	t.Helper()
	return c.Do(t, http.MethodPost, "/api/v1/training-intentions", body)
}

func TestTrainingIntentionValidation(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{})
		c := testenv.SignIn(t, app)
		cases := []struct {
			name  string
			body  map[string]any
			code  string
			field string
		}{
			{"no occupation", intention(map[string]any{"occupation": ""}), "occupation_required", "occupation"},
			{"not in the list", intention(map[string]any{"occupation": "程序员鼓励师"}), "occupation_invalid", "occupation"},
			{"no level", intention(map[string]any{"level": nil}), "level_invalid", "level"},
			{"level 6", intention(map[string]any{"level": 6}), "level_invalid", "level"},
			{"level text", intention(map[string]any{"level": "高级"}), "level_invalid", "level"},
			{"no city", intention(map[string]any{"city": nil}), "city_required", "city"},
			{"unknown city", intention(map[string]any{"city": "长沙市"}), "city_invalid", "city"},
			{"long time", intention(map[string]any{"preferred_time": strings.Repeat("周", 31)}), "preferred_time_too_long", "preferred_time"},
			{"long note", intention(map[string]any{"note": strings.Repeat("备", 201)}), "note_too_long", "note"},
			{"bad phone", intention(map[string]any{"phone": "0208700"}), "invalid_phone", "phone"},
			{"no phone bound", intention(map[string]any{"phone": nil}), "phone_required", "phone"},
		}
		for _, tc := range cases {
			res := postIntention(t, c, tc.body)
			if res.Status != 400 || res.ErrorCode() != tc.code || res.ErrorField() != tc.field {
				t.Errorf("%s: want 400 %s at %s, got %d %s", tc.name, tc.code, tc.field, res.Status, res.Body)
			}
		}
		if res := c.Get(t, "/api/v1/training-intentions"); res.Status != 200 || !strings.Contains(string(res.Body), `"total":0`) {
			t.Fatalf("list after refusals: %d %s", res.Status, res.Body)
		}
	})
}

func TestTrainingIntentions(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{})
		c := testenv.SignIn(t, app)

		// Entered phone, level as a picker's string code; the phone is sealed and masked.
		res := postIntention(t, c, intention(map[string]any{"level": "4", "phone": "138-0013-8000"}))
		if res.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		var v core.IntentionView
		res.JSON(t, &v)
		if v.Occupation != "电工" || v.Level != 4 || v.LevelName != "四级/中级工" || v.City != "广州市" ||
			v.PhoneMasked != "138****8000" || !v.ContactConsent || v.ConsentAt == nil || v.PreferredTime != "周末" {
			t.Fatalf("created: %+v", v)
		}
		if raw := rawColumn(t, app, "training_intentions", "phone_enc"); strings.Contains(raw, "13800138000") {
			t.Fatal("phone stored in clear")
		}
		// The same occupation, level and city again is a conflict.
		if res := postIntention(t, c, intention(nil)); res.Status != http.StatusConflict || res.ErrorCode() != "intention_exists" {
			t.Fatalf("duplicate: %d %s", res.Status, res.Body)
		}
		// The bound phone when none is entered; no consent.
		if res := bindPhone(t, c, "13912345678"); res.Status != http.StatusOK {
			t.Fatalf("bind phone: %d %s", res.Status, res.Body)
		}
		res = postIntention(t, c, intention(map[string]any{"phone": nil, "level": 3, "contact_consent": false}))
		res.JSON(t, &v)
		if res.Status != http.StatusCreated || v.PhoneMasked != "139****5678" || v.ContactConsent || v.ConsentAt != nil {
			t.Fatalf("bound phone: %d %s", res.Status, res.Body)
		}

		var page core.Page[core.IntentionView]
		c.Get(t, "/api/v1/training-intentions").JSON(t, &page)
		if page.Total != 2 || len(page.Items) != 2 || page.Items[0].ID != v.ID {
			t.Fatalf("list: %+v", page)
		}
		// Withdraw: own only, once.
		del := fmt.Sprintf("/api/v1/training-intentions/%d", v.ID)
		if res := testenv.SignIn(t, app).Do(t, http.MethodDelete, del, nil); res.Status != http.StatusNotFound {
			t.Fatalf("someone else's: %d", res.Status)
		}
		if res := c.Do(t, http.MethodDelete, del, nil); res.Status != http.StatusNoContent {
			t.Fatalf("withdraw: %d %s", res.Status, res.Body)
		}
		if res := c.Do(t, http.MethodDelete, del, nil); res.Status != http.StatusNotFound || res.ErrorCode() != "intention_not_found" {
			t.Fatalf("withdraw twice: %d %s", res.Status, res.Body)
		}
		c.Get(t, "/api/v1/training-intentions").JSON(t, &page)
		if page.Total != 1 {
			t.Fatalf("after withdrawal: %+v", page)
		}
		// At most ten.
		for l := 1; l <= 5; l++ {
			postIntention(t, c, intention(map[string]any{"level": l, "city": "深圳市"}))
			postIntention(t, c, intention(map[string]any{"level": l, "city": "佛山市"}))
		}
		if res := postIntention(t, c, intention(map[string]any{"city": "珠海市"})); res.Status != http.StatusConflict ||
			res.ErrorCode() != "too_many_intentions" {
			t.Fatalf("eleventh: %d %s", res.Status, res.Body)
		}
	})
}

// TestTrainingNoteSecurity: the note institutions read goes through WeChat's
// msgSecCheck against the stand-in: risky is refused at the field, kept as
// unchecked when WeChat is unavailable.
func TestTrainingNoteSecurity(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{})
		wx := testenv.WeChat(t)
		wx.MarkTextRisky("违规备注词")
		c := testenv.SignIn(t, app)

		res := postIntention(t, c, intention(map[string]any{"note": "请联系我购买违规备注词"}))
		if res.Status != http.StatusBadRequest || res.ErrorCode() != "content_risky" || res.ErrorField() != "note" {
			t.Fatalf("risky note: %d %s", res.Status, res.Body)
		}
		var v core.IntentionView
		res = postIntention(t, c, intention(nil))
		res.JSON(t, &v)
		if res.Status != http.StatusCreated || v.NoteCheck != "pass" {
			t.Fatalf("passed note: %d %s", res.Status, res.Body)
		}
		wx.FailNextOn(fake.PathMsgSecCheck, 1, -1)
		res = postIntention(t, c, intention(map[string]any{"city": "深圳市"}))
		res.JSON(t, &v)
		if res.Status != http.StatusCreated || v.NoteCheck != "unchecked" || v.Note != "希望晚上上课" {
			t.Fatalf("unchecked note: %d %s", res.Status, res.Body)
		}
	})
}
