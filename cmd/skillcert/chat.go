package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"time"

	"skillcert/internal/oapush"
)

func init() {
	register("chat", "talk to a running server's official-account chat as a follower (see docs/CHAT.md)", cmdChat)
}

// cmdChat reads lines from stdin, posts each as a signed text message from the
// follower --openid to the server's /wechat/callback (encrypted when an AES key
// is set), and prints the replies. Lines starting with "/" are events:
// /subscribe, /unsubscribe, /click KEY; /quit ends.
func cmdChat(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	base := fs.String("url", envOr("SKILLCERT_BASE_URL", "http://localhost:8080"), "the server's base URL")
	openID := fs.String("openid", "demo", "the follower's openid in the official account")
	safe := fs.Bool("safe", os.Getenv("WECHAT_OA_AES_KEY") != "", "post in safe (AES) mode; default when WECHAT_OA_AES_KEY is set")
	bindAs := fs.String("bind", "", "sign in as the fake WeChat's dev user NAME (login code dev-NAME), get a bind code and send it first")
	name := fs.String("name", "", "with -bind: the identity's name, bound when the account has none")
	idNumber := fs.String("id-number", "", "with -bind: the identity's ID number (居民身份证)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	acct := oapush.Account{Token: os.Getenv("WECHAT_OA_TOKEN"), AESKey: os.Getenv("WECHAT_OA_AES_KEY"),
		AppID: os.Getenv("WECHAT_OA_APPID"), Safe: *safe}
	if acct.Token == "" {
		return fmt.Errorf("WECHAT_OA_TOKEN must be set to the server's token")
	}
	s := chatSession{acct: acct, url: strings.TrimRight(*base, "/") + "/wechat/callback", openID: *openID, out: e.stdout}
	if *bindAs != "" {
		code, err := devBindCode(ctx, strings.TrimRight(*base, "/"), *bindAs, *name, *idNumber)
		if err != nil {
			return err
		}
		s.send(ctx, oapush.Text(*openID, 0, "绑定 "+code))
	}
	fmt.Fprintf(e.stdout, "follower %s → %s (%s mode). Type messages; /subscribe, /click KEY, /quit.\n",
		*openID, s.url, map[bool]string{false: "plain", true: "safe"}[*safe])
	in := bufio.NewScanner(e.stdin)
	for fmt.Fprint(e.stdout, "> "); in.Scan(); fmt.Fprint(e.stdout, "> ") {
		line := strings.TrimSpace(in.Text())
		switch {
		case line == "":
			continue
		case line == "/quit":
			return nil
		case strings.HasPrefix(line, "/"):
			ev, key, _ := strings.Cut(strings.TrimPrefix(line, "/"), " ")
			if strings.EqualFold(ev, "click") {
				ev = "CLICK"
			}
			s.send(ctx, oapush.Event(*openID, ev, strings.TrimSpace(key)))
		default:
			s.send(ctx, oapush.Text(*openID, 0, line))
		}
	}
	return in.Err()
}

// chatSession posts messages of one follower.
type chatSession struct {
	acct   oapush.Account
	url    string
	openID string
	out    io.Writer
}

var linkMarkup = regexp.MustCompile(`<a data-miniprogram-appid="[^"]*" data-miniprogram-path="([^"]*)">([^<]*)</a>`)

func (s chatSession) send(ctx context.Context, m oapush.Message) {
	if m.MsgType == "text" {
		m.MsgID = time.Now().UnixNano()
	}
	r, err := s.acct.Send(ctx, http.DefaultClient, s.url, m)
	switch {
	case err != nil:
		fmt.Fprintf(s.out, "[error] %v\n", err)
	case r.Status != http.StatusOK:
		fmt.Fprintf(s.out, "[HTTP %d] %s\n", r.Status, r.Body)
	case r.Success:
		fmt.Fprintln(s.out, "[success: no reply now; a late answer goes out as a customer-service message]")
	default:
		fmt.Fprintln(s.out, linkMarkup.ReplaceAllString(r.Content, "$2 [小程序页面 $1]"))
	}
}

// devBindCode signs in through the API with the fake WeChat's dev login code,
// binds the identity when asked and the account has none, and gets a bind code.
func devBindCode(ctx context.Context, base, user, name, idNumber string) (string, error) {
	var login struct {
		Token     string `json:"token"`
		Candidate struct {
			HasIdentity bool `json:"has_identity"`
		} `json:"candidate"`
	}
	if err := apiCall(ctx, base, "", http.MethodPost, "/api/v1/auth/login", map[string]string{"code": "dev-" + user}, &login); err != nil {
		return "", fmt.Errorf("sign in as dev-%s (is `skillcert fake-wechat` running?): %w", user, err)
	}
	if !login.Candidate.HasIdentity && name != "" && idNumber != "" {
		body := map[string]any{"name": name, "id_type": "01", "id_number": idNumber, "privacy_consent": true, "consent_version": "chat-cli"}
		if err := apiCall(ctx, base, login.Token, http.MethodPut, "/api/v1/me/identity", body, nil); err != nil {
			return "", fmt.Errorf("bind identity: %w", err)
		}
	}
	var code struct {
		Code string `json:"code"`
	}
	if err := apiCall(ctx, base, login.Token, http.MethodPost, "/api/v1/me/oa-bind-code", nil, &code); err != nil {
		return "", fmt.Errorf("bind code: %w", err)
	}
	return code.Code, nil
}

// apiCall sends a JSON request to the server's API and decodes a 2xx answer.
func apiCall(ctx context.Context, base, token, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, b)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(b, out)
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
