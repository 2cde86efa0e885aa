package core

import (
	"skillcert/domain"
	"skillcert/repo"
)

// resultsOpen refuses results before the plan's evaluation has started (in
// Beijing time): nobody can have a result yet.
func (c *Core) resultsOpen(p *repo.Plan) error {
	if domain.TodayBeijing(c.now()) >= p.EvalStart {
		return nil
	}
	start := p.EvalStart
	if t, ok := domain.ParseDate(p.EvalStart); ok {
		start = domain.FormatCN(t)
	}
	return domain.Conflict("before_evaluation", "评价开始日期为"+start+"，评价开始前不能录入成绩")
}
