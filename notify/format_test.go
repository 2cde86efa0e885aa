package notify_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"skillcert/domain"
	"skillcert/internal/notifytest"
	"skillcert/internal/testenv"
	"skillcert/notify"
)

// A 30-character occupation name arrives as 19 characters and "…"; a phrase
// stays within 5 汉字; dates read 2026年12月18日; WeChat (the fake checks every
// field's rules) accepts the message.
func TestFieldLimits(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		h := newHarness(t, dsn)
		occ := "工业机器人系统运维员智能制造装备安装调试与维护技术人员专项师"
		if n := utf8.RuneCountInString(occ); n != 30 {
			t.Fatalf("fixture occupation has %d characters", n)
		}
		p := h.person(h.newPlan(notifytest.PlanSpec{Occupation: occ, EvalStart: "2026-12-18"}))
		h.follow(&p)
		for _, k := range []string{domain.EventRegistrationRejected, domain.EventPlanChanged} {
			h.credit(p, k, 1)
		}
		h.enqueue(p, domain.EventRegistrationRejected, `{"reason":"  工作年限不满足\n二级/技师的申报条件，且未上传社保证明材料  "}`)
		h.enqueue(p, domain.EventPlanChanged, `{"changes":"评价开始日期改为2026年12月18日"}`)
		h.enqueue(p, domain.EventCertStage, `{"stage":"cert_made"}`) // no consent: the official account
		h.dispatcher(h.cfg())
		h.waitSettled(10 * time.Second)

		msgs := h.sentTo(p.openID)
		if len(msgs) != 2 {
			t.Fatalf("%d subscribe messages, want 2", len(msgs))
		}
		want := string([]rune(occ)[:19]) + "…"
		for _, m := range msgs {
			if m.Data["thing1"] != want || utf8.RuneCountInString(m.Data["thing1"]) != 20 {
				t.Errorf("%s thing1 = %q, want %q", m.TemplateID, m.Data["thing1"], want)
			}
			switch m.TemplateID {
			case "S-" + domain.EventRegistrationRejected:
				if m.Data["phrase2"] != "审核不通过" {
					t.Errorf("phrase2 = %q", m.Data["phrase2"])
				}
				if r := m.Data["thing4"]; utf8.RuneCountInString(r) != 20 || !strings.HasPrefix(r, "工作年限不满足 二级/技师") {
					t.Errorf("thing4 = %q", r)
				}
			case "S-" + domain.EventPlanChanged:
				if m.Data["time2"] != "2026年12月18日" || m.Data["thing3"] != "广州市天河区中山大道西1号" {
					t.Errorf("data %v", m.Data)
				}
			}
		}
		oa := h.sentTo(p.oa)
		if len(oa) != 1 || oa[0].Data["phrase2"] != "证书制作" || !strings.HasPrefix(oa[0].MiniPagePath, "pages/certificates/") {
			t.Fatalf("official-account message %+v", oa)
		}
	})
}

// The configuration is checked when loaded: unknown placeholders, untyped
// subscribe keys and bad page paths are errors; a file only giving template ids
// keeps the built-in field mappings.
func TestTemplatesConfig(t *testing.T) {
	bad := []string{
		`{"events":{"registration.approved":{"subscribe":{"template_id":"x","data":{"thing1":"{nope}"}}}}}`,
		`{"events":{"registration.approved":{"subscribe":{"template_id":"x","data":{"keyword1":"{title}"}}}}}`,
		`{"events":{"registration.approved":{"page":"/pages/x?id={registration_id}"}}}`,
		`{"events":{"registration.approved":{"page":"pages/x?id={occupation}"}}}`,
		`{"miniprogram_state":"beta"}`,
		`{"events":{"registration.approved":{"subscribe":{"templateid":"x"}}}}`,
	}
	for _, js := range bad {
		if _, err := notify.ParseTemplates(js); err == nil {
			t.Errorf("accepted %s", js)
		}
	}
	tpl, err := notify.ParseTemplates(`{"miniprogram_state":"trial","events":{"exam.reminder":{"subscribe":{"template_id":"T1"}},
		"registration.approved":{"official":{"template_id":"O1","data":{"first":"{title}","keyword1":"{occupation}"}}}}}`)
	if err != nil {
		t.Fatal(err)
	}
	if s := tpl.Spec("exam.reminder").Subscribe; s.TemplateID != "T1" || s.Data["time2"] != "{eval_start}" {
		t.Errorf("exam.reminder subscribe %+v", s)
	}
	if got := tpl.SubscribeTemplates(); len(got) != 1 || got[0] != (domain.SubscribeTemplate{Event: "exam.reminder", TemplateID: "T1"}) {
		t.Errorf("subscribe templates %v", got)
	}
	if tpl.MiniprogramState != "trial" || !tpl.Spec("registration.approved").Official.Enabled() {
		t.Errorf("merged %+v", tpl)
	}
	if only := tpl.Only(true, false); only.Spec("registration.approved").Official.Enabled() || len(only.SubscribeTemplates()) != 1 {
		t.Errorf("Only(subscribe) kept the official template or lost the subscribe one")
	}
	if len(notify.DefaultTemplates().SubscribeTemplates()) != 0 {
		t.Error("the built-in configuration has template ids")
	}
}
