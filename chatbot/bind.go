package chatbot

// bind links the follower to the candidate who got the bind code in the
// mini-program (core checks, uses up and limits guesses of the code).
func (t *turn) bind(code string) error {
	cand, err := t.core.RedeemOABindCode(t.ctx, t.msg.OpenID, code)
	if err != nil {
		return t.fail(err)
	}
	t.cand = cand
	t.out.line("关联成功！您的公众号已关联小程序账号，可直接办理报名和查询，报名进展也会通过公众号通知您。")
	t.out.blank()
	t.out.line(textMenu)
	return nil
}
