package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"skillcert/repo"
	"skillcert/wechat/fake"
	"skillcert/wechat/oapush"
)

// Settings of the bench's official account. WeChat's API points at a closed
// port: the measured messages never call it (every follower is bound).
const (
	benchOAToken  = "bench-oa-token"
	benchOAAESKey = "YmVuY2gtb25seS1hZXMta2V5LW5vdC1mb3ItcHJvZDA"
	chatFollowers = 2000
	chatPlans     = 2000
)

func init() {
	register(Scenario{Name: "chat", Run: benchChat,
		Help: "official-account callback: signed text messages (state lookups included) against the /healthz baseline",
		Env: map[string]string{
			"WECHAT_OA_APPID": fake.DefaultOAAppID, "WECHAT_OA_SECRET": fake.DefaultOASecret,
			"WECHAT_OA_TOKEN": benchOAToken, "WECHAT_OA_AES_KEY": benchOAAESKey,
			"WECHAT_OA_MESSAGE_MODE": "compatible", // the bench posts plain and safe-mode messages
			"WECHAT_API_BASE":        "http://127.0.0.1:9",
		}})
}

// chatMix is the traffic: the menu, plan search, registration records, and
// entering and leaving the registration flow (conversation writes).
var chatMix = []string{"帮助", "查询 电工 广州", "帮助", "记录", "报名", "你好", "查询 育婴员", "记录", "取消", "帮助"}

// ChatReport is the chat scenario's JSON report.
type ChatReport struct {
	Followers      int     `json:"followers"`
	Plans          int     `json:"plans"`
	Healthz        Figures `json:"healthz"`
	ChatMax        Figures `json:"chat_plain_max"`
	ChatHalf       Figures `json:"chat_plain_at_half"`
	ChatSafeMax    Figures `json:"chat_aes_max"`
	RatioOfHealthz float64 `json:"chat_throughput_ratio_of_healthz"`
	TargetP99ms    float64 `json:"target_p99_ms"`
	MeetsP99Target bool    `json:"meets_p99_target_at_half"`
}

func benchChat(ctx context.Context, env *Env) (any, error) {
	if err := loadPlans(ctx, env, chatPlans); err != nil {
		return nil, err
	}
	openIDs, err := bindFollowers(ctx, env.App.DB, chatFollowers)
	if err != nil {
		return nil, err
	}
	plain := oapush.Account{Token: benchOAToken, AppID: fake.DefaultOAAppID, AESKey: benchOAAESKey}
	safe := plain
	safe.Safe = true
	if err := checkChat(ctx, env.URL, plain, openIDs[0]); err != nil {
		return nil, err
	}
	workers := uint64(32)
	attackWith("warm-up", chatTargeter(env.URL, plain, openIDs), 0, time.Second, workers)
	health := attack("GET /healthz (baseline)", []vegeta.Target{get(env.URL + "/healthz")}, 0, env.Duration, workers)
	top := attackWith("POST /wechat/callback text (max)", chatTargeter(env.URL, plain, openIDs), 0, env.Duration, workers)
	rate := max(1, int(top.Throughput/2))
	half := attackWith(fmt.Sprintf("POST /wechat/callback text @%d/s", rate), chatTargeter(env.URL, plain, openIDs), rate, env.Duration, workers)
	aes := attackWith("POST /wechat/callback AES (max)", chatTargeter(env.URL, safe, openIDs), 0, env.Duration, workers)
	printFigures(health, top, half, aes)
	rep := ChatReport{Followers: len(openIDs), Plans: chatPlans, Healthz: health, ChatMax: top, ChatHalf: half,
		ChatSafeMax: aes, RatioOfHealthz: top.Throughput / health.Throughput, TargetP99ms: 20}
	rep.MeetsP99Target = half.P99ms < rep.TargetP99ms && half.Success == 1
	fmt.Printf("chat throughput = %.1f%% of /healthz; p99 at half rate %.2f ms (target < 20 ms): %v; p99 at max %.2f ms\n",
		100*rep.RatioOfHealthz, half.P99ms, rep.MeetsP99Target, top.P99ms)
	return rep, nil
}

// bindFollowers makes n candidates, each bound to an official-account follower,
// and returns the followers' openids.
func bindFollowers(ctx context.Context, db *repo.DB, n int) ([]string, error) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	out := make([]string, n)
	for i := range out {
		id, err := db.InsertCandidate(ctx, fmt.Sprintf("bench-chat-mp-%06d", i), "", now)
		if err != nil {
			return nil, err
		}
		out[i] = fmt.Sprintf("bench-chat-oa-%06d", i)
		if err := db.UpsertFollower(ctx, repo.Follower{OAOpenID: out[i], CandidateID: id}, now); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// chatMsgID numbers the bench's messages: every request is a new message, never
// a retry.
var chatMsgID atomic.Int64

func init() { chatMsgID.Store(time.Now().UnixNano()) }

// chatTargeter makes each request a new signed text message from a random
// follower, cycling through chatMix.
func chatTargeter(base string, acct oapush.Account, openIDs []string) vegeta.Targeter {
	url := base + "/wechat/callback?"
	hdr := http.Header{"Content-Type": {"text/xml"}}
	return func(t *vegeta.Target) error {
		id := chatMsgID.Add(1)
		from := openIDs[rand.IntN(len(openIDs))]
		q, body, err := acct.Sign(from, oapush.Text(from, id, chatMix[id%int64(len(chatMix))]).XML(time.Now()))
		if err != nil {
			return err
		}
		t.Method, t.URL, t.Body, t.Header = http.MethodPost, url+q.Encode(), body, hdr
		return nil
	}
}

// checkChat sends each message of the mix once and checks that it gets a real
// answer, so the attacks measure the chat and not an error path.
func checkChat(ctx context.Context, base string, acct oapush.Account, openID string) error {
	for _, text := range chatMix {
		r, err := acct.Send(ctx, http.DefaultClient, base+"/wechat/callback", oapush.Text(openID, chatMsgID.Add(1), text))
		if err != nil {
			return err
		}
		if r.Status != http.StatusOK || r.Success || r.MsgType != "text" || strings.Contains(r.Content, "系统繁忙") {
			return fmt.Errorf("chat check %q: %d %q", text, r.Status, r.Content)
		}
	}
	return nil
}
