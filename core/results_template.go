package core

import (
	"context"

	"skillcert/domain"
)

// ExportResultsTemplate is the empty results sheet of a plan for its institution: the
// header row the import reads (resultColumns), in the template's order.
func (c *Core) ExportResultsTemplate(ctx context.Context, st *Staff, planID int64) (*Export, error) {
	p, err := c.planFor(ctx, c.db.Read(), st, planID, Act)
	if err != nil {
		return nil, err
	}
	cols := make([]column, len(resultColumns))
	for i, rc := range resultColumns {
		cols[i] = column{Head: rc.head, Width: rc.width}
	}
	data, err := writeSheet("成绩", cols, nil)
	if err != nil {
		return nil, domain.Internal(err)
	}
	return &Export{FileName: p.PlanNo + "-成绩导入模板.xlsx", Data: data}, nil
}
