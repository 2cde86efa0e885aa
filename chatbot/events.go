package chatbot

// event answers subscribe, unsubscribe and menu clicks; other events get no reply.
func (t *turn) event() error {
	if scene, ok := webLoginScene(t.msg); ok {
		return t.webLogin(scene)
	}
	switch t.msg.Event {
	case EventSubscribe:
		return t.subscribed()
	case EventUnsubscribe:
		if err := t.core.RecordOAUnfollow(t.ctx, t.msg.OpenID); err != nil {
			return err
		}
		return t.store.drop(t.ctx, t.msg.OpenID)
	case EventClick:
		if words, ok := MenuKeys[t.msg.EventKey]; ok {
			return t.text(words)
		}
		t.out.line(textMenu)
	}
	return nil
}

// subscribed welcomes a new follower and tells whether the account is bound.
func (t *turn) subscribed() error {
	cand, err := t.core.RecordOAFollow(t.ctx, t.msg.OpenID, t.msg.UnionID)
	if err != nil {
		return err
	}
	t.cand, t.resolved = cand, true
	if t.cand == 0 {
		t.lookUpUnionID()
	}
	t.out.line(textWelcome)
	if t.cand == 0 {
		t.out.line("发送“报名”并输入报名码即可开始；已在小程序报过名的，可发送“绑定 6位绑定码”关联小程序账号。")
	} else {
		t.out.line("您的小程序账号已关联，可直接办理。")
	}
	t.out.blank()
	t.out.line(textMenu)
	if err := t.store.drop(t.ctx, t.msg.OpenID); err != nil {
		return err
	}
	return nil
}
