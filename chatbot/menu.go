package chatbot

import "strings"

// MenuButton is a button of the official account's custom menu: Type "click"
// with a Key the chat answers (MenuKeys), "view" with the URL of a web page, or
// a group (Sub) without a type.
type MenuButton struct {
	Type string
	Name string
	Key  string
	URL  string
	Sub  []MenuButton
}

// Menu is the official account's custom menu (issue 23), set by `skillcert
// oa-menu`: 报名 starts the chat's registration; 我的报名 and the pages under 更多
// are web pages at webBase (the server's public URL), which sign a follower in
// by the official account's web authorization as any page does.
func Menu(webBase string) []MenuButton {
	web := strings.TrimRight(webBase, "/") + "/web"
	return []MenuButton{
		{Type: "click", Name: "报名", Key: MenuKeyRegister},
		{Type: "view", Name: "我的报名", URL: web + "/registrations"},
		{Name: "更多", Sub: []MenuButton{
			{Type: "view", Name: "评价计划查询", URL: web + "/plans"},
			{Type: "view", Name: "证书进度查询", URL: web + "/certificates"},
			{Type: "view", Name: "外部督导反馈", URL: web + "/feedback"},
			{Type: "view", Name: "培训意向登记", URL: web + "/training"},
			{Type: "click", Name: "使用帮助", Key: MenuKeyHelp},
		}},
	}
}
