package chatbot

import (
	"strings"

	"skillcert/core"
	"skillcert/domain"
)

// maxPlans is how many plans a search reply lists.
const maxPlans = 5

// search answers 查询 <职业名称> [城市] [等级] with up to maxPlans open plans.
func (t *turn) search(arg string) error {
	q := core.PlanQuery{Status: core.PlanStatusOpen, PageSize: maxPlans}
	var words []string
	for _, w := range strings.Fields(arg) {
		if city := t.cityOf(w); city != "" && q.City == "" {
			q.City = city
			continue
		}
		if l := levelOf(w); l != 0 && q.Level == 0 {
			q.Level = l
			continue
		}
		words = append(words, w)
	}
	q.Occupation = strings.Join(words, "")
	if q.Occupation == "" && q.City == "" && q.Level == 0 {
		t.out.line(textSearchHelp)
		return nil
	}
	if err := core.ValidatePlanQuery(&q); err != nil {
		t.out.line(sentence(domain.MessageOf(err)))
		t.out.line(textSearchHelp)
		return nil
	}
	page, err := t.core.SearchPlans(t.ctx, q)
	if err != nil {
		return t.fail(err)
	}
	if page.Total == 0 {
		t.out.line("没有找到正在报名的评价计划。可换个职业名称（如“电工”）或去掉城市再试。")
		return nil
	}
	t.out.linef("正在报名的评价计划共%d条，最近截止的%d条：", page.Total, len(page.Items))
	for i, p := range page.Items {
		t.out.linef("%d. %s", i+1, planLine(p))
		t.out.linef("   %s，%s%s", p.InstitutionName, p.Location.City, p.Location.District)
		t.out.linef("   报名截止：%s，剩余名额：%d", p.RegDeadline, p.SeatsLeft)
	}
	t.out.line("报名码请向评价机构联系人获取，拿到后发送“报名 报名码”。")
	return nil
}

// cityOf reads a city among the cities that have plans: "广州" or "广州市".
func (t *turn) cityOf(w string) string {
	for _, c := range t.core.PlanMeta().Cities {
		if c.Code == w || c.Code == w+"市" {
			return c.Code
		}
	}
	return ""
}

// levelOf reads a level: "二级", "技师", "二级/技师", "2级".
func levelOf(w string) int {
	for _, l := range domain.Levels() {
		full := l.Name() // e.g. "二级/技师"
		short, title, _ := strings.Cut(full, "/")
		if w == full || w == short || w == title || w == string(rune('0'+l))+"级" {
			return int(l)
		}
	}
	return 0
}
