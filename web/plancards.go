package web

import (
	"html"
	"html/template"
	"strconv"
	"strings"

	"skillcert/core"
	"skillcert/domain"
)

// The plan search page is the busiest page of the web edition (issue 16 asks
// for at least half the API search's throughput at 100,000 plans). With
// html/template every field of every card costs a reflective call plus one
// for its escaper, which made the page cost ~8× the API's JSON. The cards and
// the city and occupation options are therefore written here, by plain Go,
// with every value escaped by html.EscapeString (all of them land in text or
// in double-quoted attributes). The rest of the page stays a template.
// TestPlanCardsEscape and the browser journey check the output.

// esc appends s escaped for HTML text or a double-quoted attribute.
func esc(b *strings.Builder, s string) {
	if strings.ContainsAny(s, `<>&'"`) {
		s = html.EscapeString(s)
	}
	b.WriteString(s)
}

// planCardsHTML renders the result list of 评价计划查询: one card a plan, or
// the empty-state line.
func planCardsHTML(items []core.PlanView) template.HTML {
	var b strings.Builder
	b.Grow(len(items) * 1400)
	b.WriteString(`<ul class="plans">`)
	for i := range items {
		p := &items[i]
		b.WriteString("\n  <li class=\"plan-card\">\n    <div class=\"plan-head\"><h2>")
		esc(&b, p.PlanName)
		b.WriteString(`</h2><span class="tag `)
		esc(&b, planClasses[p.Status])
		b.WriteString(`">`)
		esc(&b, p.StatusName)
		b.WriteString("</span></div>\n    <dl>\n      <div><dt>职业（工种）</dt><dd>")
		esc(&b, p.OccupationName)
		esc(&b, workTypeSuffix(p.WorkType))
		b.WriteString(" · ")
		esc(&b, p.LevelName)
		b.WriteString("</dd></div>\n      <div><dt>评价机构</dt><dd>")
		esc(&b, p.InstitutionName)
		b.WriteString("</dd></div>\n      <div><dt>考试地点</dt><dd>")
		esc(&b, p.Location.City)
		esc(&b, p.Location.District)
		b.WriteByte(' ')
		esc(&b, p.Location.Address)
		b.WriteString("</dd></div>\n      <div><dt>报名时间</dt><dd>")
		esc(&b, p.RegStart)
		b.WriteString(" 至 ")
		esc(&b, p.RegDeadline)
		b.WriteString("</dd></div>\n      <div><dt>评价时间</dt><dd>")
		esc(&b, p.EvalStart)
		b.WriteString(" 至 ")
		esc(&b, p.EvalEnd)
		b.WriteString("</dd></div>\n      <div><dt>剩余名额</dt><dd><strong class=\"seats\">")
		b.WriteString(strconv.Itoa(p.SeatsLeft))
		b.WriteString("</strong> / ")
		b.WriteString(strconv.Itoa(p.SeatsTotal))
		b.WriteString("</dd></div>\n      <div><dt>联系人</dt><dd>")
		esc(&b, p.ContactName)
		b.WriteString(` <a href="tel:`)
		esc(&b, telDigits(p.ContactPhone))
		b.WriteString(`">`)
		esc(&b, p.ContactPhone)
		b.WriteString("</a></dd></div>\n    </dl>\n    <p class=\"muted small\">计划编号 ")
		esc(&b, p.PlanNo)
		b.WriteString("</p>\n  </li>")
	}
	if len(items) == 0 {
		b.WriteString("\n  <li class=\"empty muted\">没有符合条件的评价计划</li>")
	}
	b.WriteString("\n</ul>")
	return template.HTML(b.String())
}

// telDigits keeps what a tel: link may carry (digits, +, -), so a contact
// phone typed with words or spaces still dials and can never become a scheme.
func telDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if (r >= '0' && r <= '9') || r == '+' || r == '-' {
			return r
		}
		return -1
	}, s)
}

// optionsHTML renders <option>s with the selected one marked.
func optionsHTML(b *strings.Builder, list []domain.Option, selected string) {
	for _, o := range list {
		b.WriteString(`<option value="`)
		esc(b, o.Code)
		b.WriteByte('"')
		if o.Code == selected {
			b.WriteString(" selected")
		}
		b.WriteByte('>')
		esc(b, o.Name)
		b.WriteString("</option>")
	}
}

// cityOptionsHTML is the city select's options, 全部城市 first.
func cityOptionsHTML(cities []domain.Option, selected string) template.HTML {
	var b strings.Builder
	b.WriteString(`<option value="">全部城市</option>`)
	optionsHTML(&b, cities, selected)
	return template.HTML(b.String())
}

// sortOptionsHTML is the sort select's options.
func sortOptionsHTML(sorts []domain.Option, selected string) template.HTML {
	var b strings.Builder
	optionsHTML(&b, sorts, selected)
	return template.HTML(b.String())
}

// occupationListHTML is the occupation input's datalist options.
func occupationListHTML(occs []domain.Option) template.HTML {
	var b strings.Builder
	for _, o := range occs {
		b.WriteString(`<option value="`)
		esc(&b, o.Name)
		b.WriteString(`"></option>`)
	}
	return template.HTML(b.String())
}

// levelTabsHTML is the level tab bar (全部 and the five levels), the current
// one marked.
func levelTabsHTML(current int, urls map[int]string) template.HTML {
	var b strings.Builder
	b.WriteString(`<nav class="weui-navbar level-tabs" aria-label="评价等级">`)
	for l := 0; l <= 5; l++ {
		b.WriteString("\n  <a class=\"weui-navbar__item")
		if l == current {
			b.WriteString(" weui-bar__item_on")
		}
		b.WriteString(`" href="`)
		esc(&b, urls[l])
		b.WriteByte('"')
		if l == current {
			b.WriteString(` aria-current="page"`)
		}
		if l == 0 {
			b.WriteString(">全部</a>")
			continue
		}
		name := domain.Level(l).Name()
		b.WriteString(` title="`)
		esc(&b, name)
		b.WriteString(`">`)
		if i := strings.Index(name, "/"); i > 0 {
			name = name[:i]
		}
		esc(&b, name)
		b.WriteString("</a>")
	}
	b.WriteString("\n</nav>")
	return template.HTML(b.String())
}
