package chatbot

import "context"

// resolve finds the candidate the follower is bound to (once a turn; messages
// that need none, like 帮助 and 查询, never ask).
func (t *turn) resolve() error {
	if t.resolved {
		return nil
	}
	cand, err := t.core.OACandidate(t.ctx, t.msg.OpenID, t.msg.UnionID)
	if err != nil {
		return err
	}
	t.cand, t.resolved = cand, true
	return nil
}

// requireCandidate tells whether the follower is bound, looking the unionid up
// once if not; when it is not, the reply says how to bind.
func (t *turn) requireCandidate() (bool, error) {
	if err := t.resolve(); err != nil {
		return false, err
	}
	if t.cand == 0 {
		t.lookUpUnionID()
	}
	if t.cand == 0 {
		t.out.line(textNeedBind)
		return false, nil
	}
	return true, nil
}

// lookUpUnionID asks WeChat for the follower's unionid and binds by it.
func (t *turn) lookUpUnionID() {
	if t.cfg.UnionIDs == nil || t.msg.UnionID != "" {
		return
	}
	ctx, cancel := context.WithTimeout(t.ctx, unionIDTimeout)
	defer cancel()
	union, err := t.cfg.UnionIDs.UnionID(ctx, t.msg.OpenID)
	if err != nil || union == "" {
		if err != nil {
			t.log.Debug("unionid lookup", "err", err)
		}
		return
	}
	cand, err := t.core.OAFollowed(t.ctx, t.msg.OpenID, union)
	if err != nil {
		t.log.Warn("record unionid", "err", err)
		return
	}
	t.cand = cand
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
