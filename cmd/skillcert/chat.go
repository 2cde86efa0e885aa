package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"skillcert/domain"
	"skillcert/server"
	"skillcert/wechat/fake"
	"skillcert/wechat/oapush"
)

func init() {
	register("chat", "talk to a running server's official-account chat as a follower (see docs/CHAT.md)", cmdChat)
}

// cmdChat reads lines from stdin, posts each as a signed text message from the
// follower --openid to the server's /wechat/callback (encrypted when an AES key
// is set), and prints the replies. Lines starting with "/" are events:
// /subscribe, /unsubscribe, /click KEY; /upload sends sample files for the
// bound candidate's draft through the API; /quit ends.
//
// Without WECHAT_OA_TOKEN it talks to the local demo server: the token, the AES
// key and the server's URL come from <data>/demo.json, the follower follows the
// demo official account, and it signs in as the demo candidate "demo" (-bind)
// with a demo identity and links it, so registering needs no other setting.
func cmdChat(ctx context.Context, e *env, args []string) error {
	demo, demoErr := chatDemo()
	defBase, defBind, defSafe := envOr("SKILLCERT_BASE_URL", "http://localhost:8080"), "", os.Getenv("WECHAT_OA_AES_KEY") != ""
	if demo != nil {
		defBind, defSafe = "demo", true
		if os.Getenv("SKILLCERT_BASE_URL") == "" && demo.URL != "" {
			defBase = demo.URL
		}
	}
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	base := fs.String("url", defBase, "the server's base URL (demo mode: the running demo server's)")
	openID := fs.String("openid", "demo", "the follower's openid in the official account (demo mode: the -bind user's)")
	safe := fs.Bool("safe", defSafe, "post in safe (AES) mode; default when an AES key is set")
	bindAs := fs.String("bind", defBind, "sign in as the WeChat stand-in's dev user NAME (login code dev-NAME), get a bind code and send it first (demo mode: \"demo\"; -bind= for an unbound follower)")
	name := fs.String("name", "", "with -bind: the identity's name, bound when the account has none (demo mode: 张三)")
	idNumber := fs.String("id-number", "", "with -bind: the identity's ID number (居民身份证; demo mode: one made from NAME)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	acct := oapush.Account{Token: os.Getenv("WECHAT_OA_TOKEN"), AESKey: os.Getenv("WECHAT_OA_AES_KEY"),
		AppID: os.Getenv("WECHAT_OA_APPID"), Safe: *safe}
	if demo != nil {
		acct = oapush.Account{Token: demo.OAToken, AESKey: demo.OAAESKey, AppID: demo.OAAppID, Safe: *safe}
		if *bindAs != "" {
			if !set["openid"] {
				*openID = fake.DevOpenID(demo.OAAppID, *bindAs)
			}
			if *name == "" {
				*name = "张三"
			}
			if *idNumber == "" {
				*idNumber = demoIDNumber(*bindAs)
			}
		}
	}
	if acct.Token == "" {
		return fmt.Errorf("WECHAT_OA_TOKEN must be set to the server's token, or start the demo server first "+
			"(`go run ./cmd/skillcert` in this folder makes %s): %v", filepath.Join(dataDir(), server.DemoFileName), demoErr)
	}
	root := strings.TrimRight(*base, "/")
	s := chatSession{acct: acct, url: root + "/wechat/callback", openID: *openID, out: e.stdout, base: root, demo: demo != nil}
	if demo != nil {
		// Following the account is what lets it push template messages to you.
		if err := postJSON(ctx, demo.WeChatURL+"/_fake/followers", map[string]string{"openid": *openID}); err != nil {
			return fmt.Errorf("the demo server's WeChat stand-in at %s does not answer (is `go run ./cmd/skillcert` running?): %w", demo.WeChatURL, err)
		}
		fmt.Fprintf(e.stdout, "演示模式 demo mode: %s, 公众号 %s\n", root, demo.OAAppID)
	}
	if *bindAs != "" {
		code, token, err := devBindCode(ctx, root, *bindAs, *name, *idNumber)
		if err != nil {
			return err
		}
		s.token = token
		fmt.Fprintf(e.stdout, "以考生 dev-%s 的身份关联公众号 (signed in as dev-%s and linking it):\n", *bindAs, *bindAs)
		s.send(ctx, oapush.Text(*openID, 0, "绑定 "+code))
	}
	fmt.Fprintf(e.stdout, "follower %s → %s (%s mode). Type messages; /subscribe, /click KEY, /upload, /quit.\n",
		*openID, s.url, map[bool]string{false: "plain", true: "safe"}[*safe])
	in := bufio.NewScanner(e.stdin)
	for fmt.Fprint(e.stdout, "> "); in.Scan(); fmt.Fprint(e.stdout, "> ") {
		line := strings.TrimSpace(in.Text())
		switch {
		case line == "":
			continue
		case line == "/quit":
			return nil
		case line == "/upload":
			s.upload(ctx)
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

// dataDir is the data folder (SKILLCERT_DATA_DIR, default "data").
func dataDir() string { return envOr("SKILLCERT_DATA_DIR", "data") }

// chatDemo returns the demo server's settings when no official account is
// configured (WECHAT_OA_TOKEN unset) and <data>/demo.json exists.
func chatDemo() (*server.DemoFile, error) {
	if os.Getenv("WECHAT_OA_TOKEN") != "" {
		return nil, nil
	}
	f, err := server.ReadDemoFile(dataDir())
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// demoIDNumber is a valid, stable 居民身份证 number for the demo user name
// (different names get different numbers, so each may register).
func demoIDNumber(name string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(name))
	v := h.Sum32()
	first17 := fmt.Sprintf("440106%04d%02d%02d%03d", 1980+v%20, 1+v/20%12, 1+v/240%28, v/6720%1000)
	c, _ := domain.IDCheckChar(first17)
	return first17 + string(c)
}

// chatSession posts messages of one follower.
type chatSession struct {
	acct   oapush.Account
	url    string
	openID string
	out    io.Writer
	base   string // the server, for /upload
	token  string // the bound candidate's API session, for /upload
	demo   bool   // demo mode: hint at /upload where the chat asks for files
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
		if s.demo && s.token != "" && strings.Contains(r.Content, "上传附件") {
			fmt.Fprintln(s.out, "[演示 demo: 聊天中无法发送文件；输入 /upload 像小程序那样上传示例文件 — type /upload to upload sample files as the mini-program would]")
		}
	}
}

// devBindCode signs in through the API with the fake WeChat's dev login code,
// binds the identity when asked and the account has none, and gets a bind code.
func devBindCode(ctx context.Context, base, user, name, idNumber string) (code, token string, err error) {
	var login struct {
		Token     string `json:"token"`
		Candidate struct {
			HasIdentity bool `json:"has_identity"`
		} `json:"candidate"`
	}
	if err := apiCall(ctx, base, "", http.MethodPost, "/api/v1/auth/login", map[string]string{"code": "dev-" + user}, &login); err != nil {
		return "", "", fmt.Errorf("sign in as dev-%s (is the server running, with `skillcert fake-wechat` or in demo mode?): %w", user, err)
	}
	if !login.Candidate.HasIdentity && name != "" && idNumber != "" {
		body := map[string]any{"name": name, "id_type": "01", "id_number": idNumber, "privacy_consent": true, "consent_version": "chat-cli"}
		if err := apiCall(ctx, base, login.Token, http.MethodPut, "/api/v1/me/identity", body, nil); err != nil {
			return "", "", fmt.Errorf("bind identity: %w", err)
		}
	}
	var bc struct {
		Code string `json:"code"`
	}
	if err := apiCall(ctx, base, login.Token, http.MethodPost, "/api/v1/me/oa-bind-code", nil, &bc); err != nil {
		return "", "", fmt.Errorf("bind code: %w", err)
	}
	return bc.Code, login.Token, nil
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

// postJSON posts body and wants a 2xx answer.
func postJSON(ctx context.Context, url string, body any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(res.Body)
		return fmt.Errorf("POST %s: %d %s", url, res.StatusCode, msg)
	}
	return nil
}

// samplePDF is the file /upload sends for each required attachment.
var samplePDF = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

// upload does what the mini-program's upload page would for the bound
// candidate: for each editable registration, a sample PDF for every required
// attachment not yet given (files cannot be sent through the chat).
func (s chatSession) upload(ctx context.Context) {
	if s.token == "" {
		fmt.Fprintln(s.out, "[/upload needs a signed-in candidate: start the chat with -bind NAME]")
		return
	}
	var regs struct {
		Items []struct {
			ID       int64 `json:"id"`
			Editable bool  `json:"editable"`
		} `json:"items"`
	}
	if err := apiCall(ctx, s.base, s.token, http.MethodGet, "/api/v1/registrations", nil, &regs); err != nil {
		fmt.Fprintf(s.out, "[error] %v\n", err)
		return
	}
	n := 0
	for _, r := range regs.Items {
		if !r.Editable {
			continue
		}
		var cl struct {
			Items []struct {
				Key       string `json:"key"`
				Name      string `json:"name"`
				Required  bool   `json:"required"`
				Satisfied bool   `json:"satisfied"`
			} `json:"items"`
		}
		if err := apiCall(ctx, s.base, s.token, http.MethodGet, fmt.Sprintf("/api/v1/registrations/%d/checklist", r.ID), nil, &cl); err != nil {
			fmt.Fprintf(s.out, "[error] %v\n", err)
			return
		}
		for _, it := range cl.Items {
			if !it.Required || it.Satisfied {
				continue
			}
			if err := uploadFile(ctx, s.base, s.token, r.ID, it.Key, samplePDF); err != nil {
				fmt.Fprintf(s.out, "[error] %v\n", err)
				return
			}
			fmt.Fprintf(s.out, "[已上传示例文件 uploaded a sample file: 报名 %d %s]\n", r.ID, it.Name)
			n++
		}
	}
	if n == 0 {
		fmt.Fprintln(s.out, "[没有需要上传的必传附件 nothing to upload: no draft with required attachments missing]")
	}
}

// uploadFile posts one attachment as the mini-program does.
func uploadFile(ctx context.Context, base, token string, regID int64, item string, content []byte) error {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("item", item)
	fw, err := w.CreateFormFile("file", item+".pdf")
	if err != nil {
		return err
	}
	_, _ = fw.Write(content)
	if err := w.Close(); err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, fmt.Sprintf("%s/api/v1/registrations/%d/attachments", base, regID), &body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		b, _ := io.ReadAll(res.Body)
		return fmt.Errorf("upload %s: %d %s", item, res.StatusCode, b)
	}
	return nil
}
