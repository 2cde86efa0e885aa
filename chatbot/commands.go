package chatbot

import (
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"skillcert/domain"
)

// cmdKind is a command a follower can send at any point of a conversation.
type cmdKind int

const (
	cmdNone cmdKind = iota
	cmdRegister
	cmdRecords
	cmdProgress
	cmdSearch
	cmdBind
	cmdHelp
	cmdCancel
	cmdSubmit
	cmdEdit
	cmdTicket   // 准考证 (issue 18)
	cmdContinue // 继续: back from a web page (issue 23), the conversation goes on
)

// command is a parsed command with its argument (the rest of the message).
type command struct {
	kind cmdKind
	arg  string
}

// commandWords maps the words of each command (after normalize).
var commandWords = map[string]cmdKind{
	"报名": cmdRegister, "我要报名": cmdRegister, "报名码报名": cmdRegister,
	"记录": cmdRecords, "报名记录": cmdRecords, "我的报名": cmdRecords,
	"进度": cmdProgress, "证书": cmdProgress, "证书进度": cmdProgress, "证书进度查询": cmdProgress,
	"查询": cmdSearch, "查询计划": cmdSearch, "评价计划查询": cmdSearch,
	"绑定": cmdBind,
	"帮助": cmdHelp, "菜单": cmdHelp, "?": cmdHelp, "HELP": cmdHelp,
	"取消": cmdCancel, "退出": cmdCancel,
	"提交":  cmdSubmit,
	"修改":  cmdEdit,
	"准考证": cmdTicket, "我的准考证": cmdTicket, "打印准考证": cmdTicket,
	"继续": cmdContinue, "继续报名": cmdContinue, "继续办理": cmdContinue, "我已完成": cmdContinue, "已完成": cmdContinue,
}

// takesArg lists the commands whose first word may be followed by an argument.
var takesArg = map[cmdKind]bool{cmdRegister: true, cmdSearch: true, cmdBind: true}

// normalize folds full-width letters, digits and punctuation to their narrow
// forms, upper-cases Latin letters and trims the ends, so "ｒｇｚｎ２５ｇｄ" reads
// as a code and "？" as "?". Chinese characters are unchanged.
func normalize(s string) string {
	return strings.ToUpper(strings.TrimSpace(width.Narrow.String(s)))
}

// spoken reads normalized recognised speech: WeChat ends a sentence with "。"
// (or "！", "？"), which would hide a command word ("报名。"); a number said
// aloud ("三", "幺") is an answer's digits. Codes said aloud ("R G Z N 二五 G D")
// are read by domain.NormalizeCode, the one normalisation of codes.
func spoken(s string) string {
	s = strings.TrimRightFunc(s, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
	if d := domain.NormalizeCode(s); d != "" && strings.Trim(d, "0123456789") == "" {
		return d
	}
	return s
}

// parseCommand reads a command from normalized input: the whole message, or its
// first word followed by an argument for the commands that take one.
func parseCommand(s string) (command, bool) {
	if k, ok := commandWords[s]; ok {
		return command{kind: k}, true
	}
	head, rest, found := strings.Cut(s, " ")
	if !found {
		return command{}, false
	}
	if k, ok := commandWords[head]; ok && takesArg[k] {
		return command{kind: k, arg: strings.TrimSpace(rest)}, true
	}
	return command{}, false
}

// exits reports whether a command leaves a conversation in progress (help and
// cancel do their own thing; submit and edit belong to the summary).
func (c command) exits() bool {
	switch c.kind {
	case cmdRegister, cmdRecords, cmdProgress, cmdSearch, cmdBind, cmdTicket:
		return true
	}
	return false
}
