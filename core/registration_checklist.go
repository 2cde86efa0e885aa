package core

import (
	"context"
	"slices"

	"skillcert/domain"
	"skillcert/repo"
)

// ChecklistEntry is one attachment the basis asks for (附件清单): required or
// recommended, whether one is uploaded, and a hint in Chinese.
type ChecklistEntry struct {
	Key       string `json:"key"`
	Name      string `json:"name"`
	Required  bool   `json:"required"`
	Satisfied bool   `json:"satisfied"`
	Hint      string `json:"hint"`
}

// Checklist is a registration's attachment checklist.
type Checklist struct {
	Items []ChecklistEntry `json:"items"`
}

// GetChecklist returns the checklist of one of the candidate's registrations:
// what its basis and 文化程度 ask for, with the employer check's self-proof item
// when the check found a mismatch.
func (c *Core) GetChecklist(ctx context.Context, candidateID, registrationID int64) (*Checklist, error) {
	r, err := c.registrationOf(ctx, c.db.Read(), candidateID, registrationID)
	if err != nil {
		return nil, err
	}
	items, err := c.checklistOf(ctx, c.db.Read(), r)
	if err != nil {
		return nil, domain.Internal(err)
	}
	return &Checklist{Items: items}, nil
}

// checklistOf builds the checklist of a registration from its uploads.
func (c *Core) checklistOf(ctx context.Context, q repo.Reader, r repo.Registration) ([]ChecklistEntry, error) {
	atts, err := q.ListAttachments(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	uploaded := make([]string, 0, len(atts))
	for _, a := range atts {
		uploaded = append(uploaded, a.ItemKey)
	}
	return c.checklistFrom(r, uploaded), nil
}

// checklistFrom builds the checklist of a registration whose uploads are of
// the checklist items uploaded.
func (c *Core) checklistFrom(r repo.Registration, uploaded []string) []ChecklistEntry {
	mismatch := r.EmployerMismatch && domain.EmployerCheckApplies(r.Basis)
	items := domain.Checklist(r.Basis, r.Education, mismatch)
	out := make([]ChecklistEntry, 0, len(items))
	for _, it := range items {
		out = append(out, ChecklistEntry{Key: it.Key, Name: it.Name, Required: it.Required,
			Satisfied: slices.Contains(uploaded, it.Key), Hint: it.Hint})
	}
	return out
}

// checklistNames names checklist keys for messages.
type checklistNames []ChecklistEntry

func (n checklistNames) names(keys []string) []string {
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		name := k
		for _, it := range n {
			if it.Key == k {
				name = it.Name
			}
		}
		out = append(out, name)
	}
	return out
}
