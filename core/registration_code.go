package core

import (
	"context"
	"fmt"
	"math"
	"time"
	"unicode/utf8"

	"skillcert/domain"
	"skillcert/ratelimit"
	"skillcert/repo"
)

// CodeGuessWindow is the window of the failed-lookup limit.
const CodeGuessWindow = 10 * time.Minute

// CodeRequest is a registration code (报名码) typed by a signed-in candidate.
type CodeRequest struct {
	CandidateID int64
	Code        string
	IP          string // the caller's address for the guess limit; "" when there is none (the chat)
}

// CodeLookup is the plan confirmation (评价计划确认) of a code: the plan with every
// field of the seed's step 4, the seats left, whether registration is open now,
// and the candidate's registration on the plan, if any.
type CodeLookup struct {
	Plan         PlanView          `json:"plan"`
	SeatsLeft    int               `json:"seats_left"`
	Open         bool              `json:"open"`
	Registration *RegistrationView `json:"registration"`
	// CanRegisterAgain: the registration was cancelled and the plan still takes
	// drafts, so POST /registrations with the code reopens it as a new draft.
	CanRegisterAgain bool `json:"can_register_again"`
}

func errCodeNotFound() *domain.Error {
	return domain.NotFound("code_not_found", "报名码不存在或已失效")
}

// LookupCode confirms a registration code. Unknown, revoked and expired codes
// (and codes of plans not published) are not found; failures count against the
// candidate, the IP and all lookups together, and past a limit every lookup is
// refused for a while.
func (c *Core) LookupCode(ctx context.Context, req CodeRequest) (*CodeLookup, error) {
	code, plan, err := c.resolveCode(ctx, req)
	if err != nil {
		return nil, err
	}
	now := c.now()
	pv := ViewPlan(&plan, plan.SeatsTaken, now)
	out := &CodeLookup{Plan: pv, SeatsLeft: pv.SeatsLeft, Open: pv.Status == PlanStatusOpen}
	id, err := c.db.Read().RegistrationIDByPlanCandidate(ctx, code.PlanID, req.CandidateID)
	switch {
	case repo.IsNoRows(err):
	case err != nil:
		return nil, domain.Internal(err)
	default:
		if out.Registration, err = c.GetRegistration(ctx, req.CandidateID, id); err != nil {
			return nil, err
		}
		out.CanRegisterAgain = out.Registration.Status == string(domain.StatusCancelled) && planAcceptsDrafts(&plan, now) == nil
	}
	return out, nil
}

// resolveCode checks a typed code and finds its plan, under the guess limit.
func (c *Core) resolveCode(ctx context.Context, req CodeRequest) (repo.UsableCode, repo.Plan, error) {
	code := domain.NormalizeCode(req.Code)
	switch n := utf8.RuneCountInString(code); {
	case n == 0:
		return repo.UsableCode{}, repo.Plan{}, domain.Invalid("code", "code_required", "请输入报名码")
	case n != domain.CodeLength:
		return repo.UsableCode{}, repo.Plan{}, domain.Invalid("code", "code_length",
			fmt.Sprintf("报名码应为%d位，当前为%d位", domain.CodeLength, n))
	}
	buckets := c.guessBuckets(req)
	if err := c.reserveGuess(ctx, buckets); err != nil {
		return repo.UsableCode{}, repo.Plan{}, err
	}
	found, plan, err := c.findCode(ctx, code)
	if de, ok := domain.AsError(err); ok && de.Kind == domain.KindNotFound {
		return repo.UsableCode{}, repo.Plan{}, err // a failed guess: its counts stay
	}
	c.refundGuess(ctx, buckets)
	if err != nil {
		return repo.UsableCode{}, repo.Plan{}, err
	}
	return found, plan, nil
}

// findCode finds a usable code and its plan; not found unless the plan is visible
// to candidates (published, or closed by its institution).
func (c *Core) findCode(ctx context.Context, code string) (repo.UsableCode, repo.Plan, error) {
	if !domain.ValidCodeFormat(code) {
		return repo.UsableCode{}, repo.Plan{}, errCodeNotFound()
	}
	found, err := c.db.FindUsableCode(ctx, code, c.dbNow())
	if repo.IsNoRows(err) {
		return repo.UsableCode{}, repo.Plan{}, errCodeNotFound()
	}
	if err != nil {
		return repo.UsableCode{}, repo.Plan{}, domain.Internal(err)
	}
	plan, err := c.db.Read().GetPlan(ctx, found.PlanID)
	if err != nil {
		return repo.UsableCode{}, repo.Plan{}, domain.Internal(err)
	}
	if plan.State != repo.PlanPublished && plan.State != repo.PlanClosed {
		return repo.UsableCode{}, repo.Plan{}, errCodeNotFound()
	}
	return found, plan, nil
}

// guessBucket is one counter of failed code lookups and its limit.
type guessBucket struct {
	name  string
	limit int
}

// guessBuckets are the counters a lookup is charged to, strictest first: the
// candidate (strict), the IP address (generous: a classroom shares one), and
// every lookup together (a code-space scan spread over many accounts).
func (c *Core) guessBuckets(req CodeRequest) []guessBucket {
	set := c.reg.set
	b := []guessBucket{{fmt.Sprintf("code-guess:candidate:%d", req.CandidateID), set.CodeGuessLimit}}
	if req.IP != "" {
		b = append(b, guessBucket{"code-guess:ip:" + req.IP, set.CodeGuessIPLimit})
	}
	return append(b, guessBucket{"code-guess:all", set.CodeGuessGlobalLimit})
}

// reserveGuess counts the lookup against every bucket before the code is
// evaluated, so that parallel lookups cannot slip past a limit: a bucket that is
// full refuses it, and the counts already taken are given back (a refused
// lookup counts nowhere). The caller gives the counts back (refundGuess) when
// the code turns out right.
func (c *Core) reserveGuess(ctx context.Context, buckets []guessBucket) error {
	for i, b := range buckets {
		allowed, wait, err := c.limiter.Limit(ctx, b.name, b.limit, CodeGuessWindow)
		if err != nil {
			c.refundGuess(ctx, buckets[:i])
			c.log.Error("code guess limit unavailable", "err", err)
			return ratelimit.ErrLimitsUnavailable()
		}
		if !allowed {
			c.refundGuess(ctx, buckets[:i+1])
			mins := int(math.Ceil(wait.Minutes()))
			return ratelimit.RateLimited("code_guess_limited",
				fmt.Sprintf("报名码输入错误次数过多，请%d分钟后再试", max(1, mins)), wait)
		}
	}
	return nil
}

// refundGuess gives back the counts of a lookup that did not fail; a counter
// failure is logged, not shown.
func (c *Core) refundGuess(ctx context.Context, buckets []guessBucket) {
	for _, b := range buckets {
		if err := c.limiter.Refund(context.WithoutCancel(ctx), b.name, CodeGuessWindow); err != nil {
			c.log.Warn("code guess counter", "err", err)
		}
	}
}

// dbNow is the current time as stored: UTC, microseconds.
func (c *Core) dbNow() time.Time { return c.now().UTC().Truncate(time.Microsecond) }

func errIdentityRequired() *domain.Error {
	return domain.Conflict("identity_required", "请先在“我的”中绑定本人身份信息（姓名和证件号码），再报名")
}

func errIDNumberRegistered() *domain.Error {
	return domain.Conflict("id_number_registered", "该证件号码已在本评价计划报名，同一证件号码不能重复报名")
}

// CreateDraft starts a registration (考生报名) from a code: a draft (未提交) made
// with the candidate's bound identity, the phone prefilled from the account. When
// the candidate already has a registration on the plan it is returned instead
// (created is false) — unless it was cancelled and the plan still takes drafts:
// then it is reopened as a new draft (created is true, see registerAgain). A plan
// past its deadline takes no new drafts.
func (c *Core) CreateDraft(ctx context.Context, req CodeRequest) (view *RegistrationView, created bool, err error) {
	code, plan, err := c.resolveCode(ctx, req)
	if err != nil {
		return nil, false, err
	}
	if id, err := c.db.Read().RegistrationIDByPlanCandidate(ctx, plan.ID, req.CandidateID); err == nil {
		return c.registerAgain(ctx, req.CandidateID, id, code.ID, &plan)
	} else if !repo.IsNoRows(err) {
		return nil, false, domain.Internal(err)
	}
	now := c.now()
	if err := planAcceptsDrafts(&plan, now); err != nil {
		return nil, false, err
	}
	cand, err := c.db.Read().GetCandidate(ctx, req.CandidateID)
	if err != nil {
		return nil, false, domain.Internal(err)
	}
	if !cand.IDNumberIdx.Valid || cand.IDNumberIdx.String == "" {
		return nil, false, errIdentityRequired()
	}
	var id int64
	err = c.db.WithTx(ctx, func(tx repo.Tx) error {
		// The code's row is locked first: inserting takes a shared lock on it (the
		// foreign key), and upgrading that lock afterwards deadlocks on MySQL.
		if err := tx.CountCodeUse(ctx, code.ID); err != nil {
			return err
		}
		var err error
		id, err = tx.InsertRegistration(ctx, repo.NewRegistration{PlanID: plan.ID, CandidateID: req.CandidateID,
			CodeID: code.ID, IDNumberIdx: cand.IDNumberIdx.String, PhoneEnc: cand.PhoneEnc.String}, c.dbNow())
		if err != nil {
			return err
		}
		return c.setIDTail(ctx, tx, id, cand.IDNumberEnc.String)
	})
	if repo.IsUniqueViolation(err) {
		// A concurrent request made it first, or the ID number is registered by
		// another account.
		if id, err := c.db.Write().RegistrationIDByPlanCandidate(ctx, plan.ID, req.CandidateID); err == nil {
			v, err := c.GetRegistration(ctx, req.CandidateID, id)
			return v, false, err
		}
		return nil, false, errIDNumberRegistered()
	}
	if err != nil {
		return nil, false, domain.Internal(err)
	}
	c.log.Info("registration draft created", "registration_id", id, "plan_id", plan.ID, "candidate_id", req.CandidateID)
	c.hints.put(id, req.CandidateID, plan.ID)
	v, err := c.GetRegistration(ctx, req.CandidateID, id)
	return v, true, err
}

// planAcceptsDrafts refuses new registrations on a plan past its deadline (or
// closed, or withdrawn). A plan not yet open takes drafts, so the candidate may
// prepare; only submitting waits for the window.
func planAcceptsDrafts(p *repo.Plan, now time.Time) error {
	err := planWindow(p, now)
	if de, ok := domain.AsError(err); ok && de.Code == "not_open" && p.State == repo.PlanPublished {
		return nil
	}
	return err
}
