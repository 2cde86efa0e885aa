package core

import (
	"context"

	"skillcert/domain"
)

// markAbsent adds 缺考 to the changes of a results import: for every seat of an
// approved candidate whose session is over and who did not check in, unless
// the file gives a result for that subject or one is already recorded. It
// returns the changes and how many subjects it marked.
func (c *Core) markAbsent(ctx context.Context, pr *planResults, changes []resultChange) ([]resultChange, int, error) {
	seats, err := c.db.Read().AbsentSeats(ctx, pr.plan.ID)
	if err != nil {
		return nil, 0, err
	}
	at := map[int64]int{} // registration → index in changes
	for i, ch := range changes {
		at[ch.reg.ID] = i
	}
	now := c.now()
	n := 0
	for _, s := range seats {
		end, ok := domain.SessionEnd(s.ExamDate, s.EndTime)
		if !ok || now.Before(end) {
			continue
		}
		subj := domain.Subject(s.Subject)
		if _, recorded := pr.results[s.RegistrationID][subj]; recorded {
			continue
		}
		reg, ok := pr.byID[s.RegistrationID]
		if !ok {
			continue
		}
		i, ok := at[reg.ID]
		if !ok {
			stage := domain.CertStage(reg.CertStage)
			if stage == "" {
				stage = domain.StageScoreEntered
			}
			changes = append(changes, resultChange{line: 0, reg: reg, scores: map[domain.Subject]domain.Score{},
				certNo: reg.CertNo, stage: stage})
			i = len(changes) - 1
			at[reg.ID] = i
		}
		if _, given := changes[i].scores[subj]; given {
			continue
		}
		changes[i].scores[subj] = domain.Score{Result: domain.ResultAbsent}
		changes[i].summary = append(changes[i].summary, subj.Name()+" 缺考")
		n++
	}
	return changes, n, nil
}
