package chatbot

import (
	"fmt"
	"html"
)

// Pages of the mini-program the chat links to.
const (
	pageForm         = "pages/form/form?id=%d" // the registration form, with its attachments
	pageRecords      = "pages/records/records"
	pageCertificates = "pages/certificates/certificates"
)

// miniLink is a link that opens a page of the mini-program from a text message;
// without a mini-program app id it names the page in words.
func (t *turn) miniLink(path, label, words string) string {
	if t.cfg.MiniProgramAppID == "" {
		return "请打开微信小程序“职业技能等级认定”的“" + words + "”页面。"
	}
	return fmt.Sprintf(`<a data-miniprogram-appid="%s" data-miniprogram-path="%s">%s</a>`,
		html.EscapeString(t.cfg.MiniProgramAppID), html.EscapeString(path), label)
}
