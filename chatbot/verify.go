package chatbot

// pageVerify is the mini-program's real-name verification page (人脸核验).
const pageVerify = "pages/verify/verify"

// verifyWords are the messages that ask how to verify one's identity; the
// verification itself needs the mini-program (the face scan runs there).
var verifyWords = map[string]bool{"核验": true, "实名": true, "实名核验": true, "人脸核验": true, "刷脸": true, "实名认证": true}

// textVerifyHow explains real-name verification in the chat.
const textVerifyHow = "实名核验（人脸核验）需要在微信小程序中完成：打开小程序，进入“我的—实名核验”，" +
	"核对姓名和身份证号码后点击“开始人脸核验”，按提示正对手机完成刷脸即可。\n" +
	"· 仅支持居民身份证；每人每天最多核验5次。\n" +
	"· 核验通过后身份信息将锁定，部分评价计划要求核验后才能提交报名。\n" +
	"· 如提示证件号码已被其他微信账号绑定，可在核验页面选择“这是我的证件号码”，通过人脸核验后取回。"

// verifyHelp answers a question about real-name verification: how to do it,
// with a link to the page, and the current state when the follower is bound.
func (t *turn) verifyHelp() error {
	t.out.line(textVerifyHow)
	t.out.line(t.miniLink(pageVerify, "打开实名核验", "我的—实名核验"))
	if t.cand == 0 {
		return nil
	}
	me, err := t.core.GetMe(t.ctx, t.cand)
	if err != nil {
		return nil // the explanation stands on its own
	}
	if me.VerifyState == "verified" {
		t.out.line("您的身份已通过实名核验（已核验）。")
	} else {
		t.out.line("您的身份目前：未核验。")
	}
	return nil
}
