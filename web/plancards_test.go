package web

import (
	"strings"
	"testing"

	"skillcert/core"
	"skillcert/domain"
)

// The hand-written cards escape every value: a plan or institution name with
// markup shows as text, and a contact phone cannot turn the tel: link into
// another scheme.
func TestPlanCardsEscape(t *testing.T) {
	p := core.PlanView{
		PlanName:        `<script>alert(1)</script>`,
		InstitutionName: `A & "B" 'C'`,
		OccupationName:  "电工", WorkType: "<b>",
		ContactName:  "王老师",
		ContactPhone: `020-1234"><img src=x onerror=alert(1)>`,
		Status:       "open", StatusName: "报名中",
		SeatsLeft: 3, SeatsTotal: 60, PlanNo: "P<1>",
		Location: core.Location{City: "广州市", District: "天河区", Address: `路<1>号`},
	}
	out := string(planCardsHTML([]core.PlanView{p}))
	for _, bad := range []string{"<script>", "<b>", `"><img`, "<1>", `onerror=alert(1)>`} {
		if strings.Contains(out, bad) {
			t.Errorf("card output holds unescaped %q:\n%s", bad, out)
		}
	}
	for _, want := range []string{
		"&lt;script&gt;alert(1)&lt;/script&gt;", "A &amp; &#34;B&#34; &#39;C&#39;", "电工（&lt;b&gt;）",
		`href="tel:020-12341"`, "<strong class=\"seats\">3</strong> / 60", "广州市天河区 路&lt;1&gt;号", "计划编号 P&lt;1&gt;",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("card output lacks %q:\n%s", want, out)
		}
	}
	if empty := string(planCardsHTML(nil)); !strings.Contains(empty, "没有符合条件的评价计划") {
		t.Errorf("empty list: %s", empty)
	}
	opts := string(cityOptionsHTML([]domain.Option{{Code: "广州市", Name: "广州市"}, {Code: `"x`, Name: "<y>"}}, "广州市"))
	if !strings.Contains(opts, `<option value="广州市" selected>广州市</option>`) || !strings.Contains(opts, `<option value="&#34;x">&lt;y&gt;</option>`) {
		t.Errorf("city options: %s", opts)
	}
}
