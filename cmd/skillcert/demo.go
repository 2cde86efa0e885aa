package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"skillcert/server"
	"skillcert/wechat/fake"
)

func init() {
	register("demo", "demo mode helpers: demo outbox lists the messages the running demo server pushed to its WeChat stand-in", cmdDemo)
}

// cmdDemo serves `skillcert demo outbox`: the messages the local demo server
// (found through <data>/demo.json) pushed, oldest first.
func cmdDemo(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "outbox" {
		return errors.New("usage: skillcert demo outbox   (the messages the running demo server pushed)")
	}
	f, err := server.ReadDemoFile(dataDir())
	if err != nil {
		return fmt.Errorf("no demo server found (start one with `go run ./cmd/skillcert` in this folder): %w", err)
	}
	if f.URL == "" {
		return errors.New("the demo server has not started listening yet")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.URL+"/demo/outbox.json", nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("the demo server at %s does not answer (is `go run ./cmd/skillcert` running?): %w", f.URL, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s/demo/outbox.json: %s (is that server in demo mode?)", f.URL, res.Status)
	}
	var out struct {
		Items []fake.SentMessage `json:"items"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		return err
	}
	if len(out.Items) == 0 {
		fmt.Fprintln(e.stdout, "还没有推送任何消息 (nothing pushed yet). 用 `go run ./cmd/skillcert chat` 报名并提交试试。")
		return nil
	}
	names := map[fake.Kind]string{fake.KindSubscribe: "小程序订阅消息 subscribe", fake.KindTemplate: "公众号模板消息 template",
		fake.KindCustom: "公众号客服消息 customer-service"}
	fmt.Fprintf(e.stdout, "%d 条已推送的消息 messages pushed (oldest first):\n", len(out.Items))
	for _, m := range out.Items {
		fmt.Fprintf(e.stdout, "\n#%d %s  %s → %s", m.MsgID, m.Time.In(time.FixedZone("CST", 8*3600)).Format(time.DateTime), names[m.Kind], m.ToOpenID)
		if m.TemplateID != "" {
			fmt.Fprintf(e.stdout, "  (%s)", m.TemplateID)
		}
		fmt.Fprintln(e.stdout)
		keys := make([]string, 0, len(m.Data))
		for k := range m.Data {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(e.stdout, "   %-8s %s\n", k, m.Data[k])
		}
		if m.Text != "" {
			fmt.Fprintf(e.stdout, "   %s\n", strings.ReplaceAll(m.Text, "\n", "\n   "))
		}
		if p := m.Page + m.MiniPagePath; p != "" {
			fmt.Fprintf(e.stdout, "   打开 opens: %s\n", p)
		}
	}
	return nil
}
