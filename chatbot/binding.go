package chatbot

import "context"

// resolve finds the candidate the follower is bound to (once a turn; messages
// that need none, like 帮助 and 查询, never ask).
func (t *turn) resolve() error {
	if t.resolved {
		return nil
	}
	cand, err := t.core.FindOACandidate(t.ctx, t.msg.OpenID, t.msg.UnionID)
	if err != nil {
		return err
	}
	t.cand, t.resolved = cand, true
	return nil
}

// requireCandidate tells whether the follower has a candidate account, looking
// the unionid up once if not; when there is none, the reply says so (the
// personal queries have nothing to show).
func (t *turn) requireCandidate() (bool, error) {
	if err := t.resolve(); err != nil {
		return false, err
	}
	if t.cand == 0 {
		t.lookUpUnionID()
	}
	if t.cand == 0 {
		t.out.line(textNoAccount)
		return false, nil
	}
	return true, nil
}

// ensureCandidate gives the follower a candidate account on first need (issue
// 23: the official account is a door of its own): the one bound or sharing
// the unionid, else a new candidate — the same person as in the mini-program
// once it signs in with the same unionid, or once the follower sends the
// mini-program's bind code (core.RedeemOABindCode merges the two).
func (t *turn) ensureCandidate() error {
	if err := t.resolve(); err != nil {
		return err
	}
	union := t.msg.UnionID
	if t.cand == 0 && union == "" {
		union = t.lookUpUnionID()
	}
	if t.cand != 0 {
		return nil
	}
	id, err := t.core.ResolveOAIdentity(t.ctx, t.msg.OpenID, union, true)
	if err != nil {
		return err
	}
	t.cand = id
	return nil
}

// lookUpUnionID asks WeChat for the follower's unionid and binds by it; it
// returns the unionid ("" when none or the lookup failed).
func (t *turn) lookUpUnionID() string {
	if t.cfg.UnionIDs == nil || t.msg.UnionID != "" {
		return t.msg.UnionID
	}
	ctx, cancel := context.WithTimeout(t.ctx, unionIDTimeout)
	defer cancel()
	union, err := t.cfg.UnionIDs.UnionID(ctx, t.msg.OpenID)
	if err != nil || union == "" {
		if err != nil {
			t.log.Debug("unionid lookup", "err", err)
		}
		return ""
	}
	cand, err := t.core.RecordOAFollow(t.ctx, t.msg.OpenID, union)
	if err != nil {
		t.log.Warn("record unionid", "err", err)
		return union
	}
	t.cand = cand
	return union
}

// bind links the follower to the candidate who got the bind code in the
// mini-program (core checks, uses up and limits guesses of the code).
func (t *turn) bind(code string) error {
	cand, err := t.core.RedeemOABindCode(t.ctx, t.msg.OpenID, code)
	if err != nil {
		return t.fail(err)
	}
	t.cand, t.resolved = cand, true
	t.out.line("关联成功！您的公众号已关联小程序账号，可直接办理报名和查询，报名进展也会通过公众号通知您。")
	t.out.blank()
	t.out.line(textMenu)
	return nil
}
