package console

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"
)

// Flash messages after a redirect travel as a short code in the query string
// (?ok=published), never as free text, so a link cannot make the page say anything.
var flashes = map[string]struct{ text, kind string }{
	"created":      {"评价计划已保存为草稿，确认无误后请发布。", ""},
	"saved":        {"已保存。", ""},
	"published":    {"评价计划已发布，考生现在可以查询并凭报名码报名。", ""},
	"closed":       {"评价计划已关闭报名。", ""},
	"reopened":     {"评价计划已重新开放报名。", ""},
	"codes":        {"报名码已生成。", ""},
	"revoked":      {"报名码已作废。", ""},
	"approved":     {"已审核通过。", ""},
	"returned":     {"已退回修改，考生将收到通知。", ""},
	"rejected":     {"已审核不通过，名额已释放。", ""},
	"cancelled":    {"已撤销该报名，名额已释放。", ""},
	"bulk":         {"批量审核已完成。", ""},
	"none":         {"请先勾选要审核的报名。", "warn"},
	"results":      {"成绩与证书进度已导入。", ""},
	"result":       {"该考生的成绩与证书进度已保存。", ""},
	"user":         {"账号已创建。", ""},
	"disabled":     {"账号已停用。", ""},
	"enabled":      {"账号已启用。", ""},
	"unlocked":     {"已解除该账号的登录锁定。", ""},
	"institution":  {"评价机构已新增。", ""},
	"replied":      {"答复已发送，考生将在小程序中收到通知。", ""},
	"status":       {"办理状态已更新。", ""},
	"city":         {"所在城市已保存。", ""},
	"requeued":     {"通知已重新排队发送。", ""},
	"loggedout":    {"已退出登录。", ""},
	"expired":      {"登录已失效，请重新登录。", "warn"},
	"csrf_expired": {"页面已过期，请重新操作。", "warn"},
}

func flashOf(c echo.Context) (string, string) {
	if c.QueryParam("ok") == "bulk" { // counts are numbers, never free text
		done, err1 := strconv.Atoi(c.QueryParam("done"))
		skipped, err2 := strconv.Atoi(c.QueryParam("skipped"))
		if err1 == nil && err2 == nil && done >= 0 && skipped >= 0 {
			text := fmt.Sprintf("批量审核已完成：已处理 %d 条", done)
			if skipped > 0 {
				text += fmt.Sprintf("，跳过 %d 条（已不在待审核状态）", skipped)
			}
			return text + "。", ""
		}
	}
	if f, ok := flashes[c.QueryParam("ok")]; ok {
		return f.text, f.kind
	}
	return "", ""
}

// redirectOK sends the browser to path with a flash code (303: the next request is a GET).
func redirectOK(c echo.Context, path, flash string) error {
	if flash != "" {
		path += "?ok=" + url.QueryEscape(flash)
	}
	return c.Redirect(303, path)
}
