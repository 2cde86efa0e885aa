package core

import (
	"context"

	"skillcert/domain"
	"skillcert/repo"
)

// NotifySettings is what core knows of the notification configuration: the
// subscribe template of each event kind (see notify.Templates).
type NotifySettings struct {
	SubscribeTemplates []domain.SubscribeTemplate
}

// maxSubscribeAnswers bounds one report (WeChat asks for at most 3 templates per
// wx.requestSubscribeMessage; a few spare keys such as errMsg are ignored).
const maxSubscribeAnswers = 20

// subscribeAnswers are what wx.requestSubscribeMessage returns per template.
var subscribeAnswers = map[string]bool{"accept": true, "reject": true, "ban": true, "filter": true}

// SubscribeTemplates lists the event kinds that have a subscribe template, with
// its id (GET /api/v1/meta: subscribe_templates).
func (c *Core) SubscribeTemplates() []domain.SubscribeTemplate {
	out := append([]domain.SubscribeTemplate{}, c.notify.SubscribeTemplates...)
	return out
}

// RecordSubscriptions records what wx.requestSubscribeMessage answered, template
// id → accept | reject | ban | filter: each accept is one send credit for that
// template. Keys that are not our templates (errMsg, stale ids) are ignored. It
// returns the candidate's credits for every configured template.
func (c *Core) RecordSubscriptions(ctx context.Context, candidateID int64, results map[string]string) (map[string]int, error) {
	if len(results) == 0 || len(results) > maxSubscribeAnswers {
		return nil, domain.Invalid("results", "results_invalid", "请提交订阅消息的授权结果")
	}
	ours := map[string]bool{}
	for _, t := range c.notify.SubscribeTemplates {
		ours[t.TemplateID] = true
	}
	var fe []domain.FieldError
	for tid, answer := range results {
		if ours[tid] && !subscribeAnswers[answer] {
			fe = append(fe, domain.FieldError{Field: "results", Code: "result_invalid",
				Message: "订阅结果应为 accept、reject、ban 或 filter"})
			break
		}
	}
	if err := domain.InvalidFields(fe); err != nil {
		return nil, err
	}
	now := c.now().UTC()
	err := c.db.WithTx(ctx, func(tx repo.Tx) error {
		for tid, answer := range results {
			if !ours[tid] {
				continue
			}
			add := 0
			if answer == "accept" {
				add = 1
			}
			if err := tx.AddSubscribeCredits(ctx, candidateID, tid, add, answer, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, domain.Internal(err)
	}
	return c.GetSubscriptionCredits(ctx, candidateID)
}

// GetSubscriptionCredits returns the candidate's send credits for every configured
// subscribe template (0 when none).
func (c *Core) GetSubscriptionCredits(ctx context.Context, candidateID int64) (map[string]int, error) {
	have, err := c.db.Read().SubscribeCredits(ctx, candidateID)
	if err != nil {
		return nil, domain.Internal(err)
	}
	out := make(map[string]int, len(c.notify.SubscribeTemplates))
	for _, t := range c.notify.SubscribeTemplates {
		out[t.TemplateID] = have[t.TemplateID]
	}
	return out, nil
}
