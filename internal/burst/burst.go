// Package burst prepares and fires bursts of registration submits: candidates
// with a bound identity and a session each, complete drafts on a fresh plan
// (written through core and the stores, so no WeChat sign-in is needed), and a
// burst of requests sent all at once. The submit bench (bench/submit.go) and
// the two-replica harness (deploy/replicas) use it.
package burst

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"skillcert/core"
	"skillcert/demo"
	"skillcert/domain"
	"skillcert/repo"
	"skillcert/server"
)

// Candidate is a signed-in candidate with its draft in the current burst.
type Candidate struct {
	ID    int64
	Token string
	Reg   int64 // the draft of the last Drafts call
}

// Candidates makes n candidates (openids "<prefix>-<i>", distinct ID numbers
// from the from-th on) with a bound identity and a session each, straight
// through the stores.
func Candidates(ctx context.Context, app *server.App, prefix string, from, n int) ([]Candidate, error) {
	c, db := app.Core, app.DB
	now := time.Now().UTC().Truncate(time.Microsecond)
	out := make([]Candidate, n)
	err := Parallel(n, func(i int) error {
		id, err := db.InsertCandidate(ctx, fmt.Sprintf("%s-%06d", prefix, i), "", now)
		if err != nil {
			return err
		}
		number := fmt.Sprintf("440106199001%06d", from+i) // distinct; never checked past binding
		sealed, err := app.Sealer.Seal(number)
		if err != nil {
			return err
		}
		err = db.WithTx(ctx, func(tx repo.Tx) error {
			return tx.SetCandidateIdentity(ctx, id, repo.CandidateIdentity{Name: "考生", IDType: domain.IDTypeResidentCard,
				IDNumberEnc: sealed, IDNumberIdx: c.IDNumberIndex(number), Gender: domain.GenderMale,
				BirthDate: "1990-01-01", VerifyState: core.VerifyUnverified}, now)
		})
		if err != nil {
			return err
		}
		token, _, err := c.StartSession(ctx, id)
		out[i] = Candidate{ID: id, Token: token}
		return err
	})
	return out, err
}

// Drafts opens a new plan planNo with seats seats (published, open for a week)
// and gives every candidate a complete draft on it (报名五级, 中等专科: the
// diploma is the one required file). It returns the plan's id.
func Drafts(ctx context.Context, app *server.App, cands []Candidate, planNo string, seats int) (int64, error) {
	c, db := app.Core, app.DB
	now := time.Now()
	insts, err := demo.EnsureInstitutions(ctx, db, now)
	if err != nil {
		return 0, err
	}
	ts := now.UTC().Truncate(time.Microsecond)
	today := domain.TodayBeijing(now)
	p := repo.Plan{PlanNo: planNo, PlanName: "压测评价计划", InstitutionID: insts[0].ID,
		OccupationName: "保育师", WorkType: "无", Level: 5, SeatsTotal: seats, City: "广州市",
		RegStart: today, RegDeadline: domain.FormatDate(now.AddDate(0, 0, 7)), EvalStart: domain.FormatDate(now.AddDate(0, 0, 14)),
		EvalEnd: domain.FormatDate(now.AddDate(0, 0, 14)), SupervisionRegion: "广东省（省本级）", State: repo.PlanPublished,
		CreatedAt: ts, UpdatedAt: ts}
	p.PublishedAt.Time, p.PublishedAt.Valid = ts, true
	if err := db.InsertPlan(ctx, db.W, &p); err != nil {
		return 0, err
	}
	code := repo.RegCode{Code: domain.GenerateCode(), PlanID: p.ID, CreatedAt: ts}
	if err := db.InsertRegCode(ctx, db.W, &code); err != nil {
		return 0, err
	}
	if err := c.Plans.Refresh(ctx); err != nil {
		return 0, err
	}
	diploma := []byte("%PDF-1.4\n% bench diploma\n")
	err = Parallel(len(cands), func(i int) error {
		cd := &cands[i]
		v, _, err := c.CreateDraft(ctx, core.CodeRequest{CandidateID: cd.ID, Code: code.Code})
		if err != nil {
			return err
		}
		cd.Reg = v.ID
		s := func(v string) *string { return &v }
		yes := true
		if _, err := c.SaveForm(ctx, core.SaveFormRequest{CandidateID: cd.ID, RegistrationID: v.ID, Patch: core.FormPatch{
			Basis: s(domain.BasisLevel5), Education: s("41"), Phone: s("13800138000"), CommitmentAccepted: &yes}}); err != nil {
			return err
		}
		_, err = c.AddAttachment(ctx, core.UploadRequest{CandidateID: cd.ID, RegistrationID: v.ID, Item: domain.AttachDiploma,
			FileName: "毕业证.pdf", Body: strings.NewReader(string(diploma))})
		return err
	})
	return p.ID, err
}

// SubmitRequest is candidate c's POST /api/v1/registrations/{id}/submit of its draft at base.
func SubmitRequest(base string, c Candidate) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/registrations/%d/submit", base, c.Reg), nil)
	req.Header.Set("Authorization", "Bearer "+c.Token)
	return req
}

// Parallel runs fn for 0..n-1 on eight workers and returns the first error.
func Parallel(n int, fn func(i int) error) error {
	work := make(chan int, n)
	for i := 0; i < n; i++ {
		work <- i
	}
	close(work)
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				if err := fn(i); err != nil {
					once.Do(func() { first = err })
				}
			}
		}()
	}
	wg.Wait()
	return first
}

// Figures is one burst of requests sent all at once.
type Figures struct {
	Name        string   `json:"name"`
	Requests    int      `json:"requests"`
	Accepted    int      `json:"accepted"`     // 2xx
	PlanFull    int      `json:"plan_full"`    // 409 plan_full
	OtherErrors int      `json:"other_errors"` // anything else, transport errors included
	WallMs      float64  `json:"wall_ms"`      // first request sent → last answer read
	Throughput  float64  `json:"throughput_per_sec"`
	P50ms       float64  `json:"p50_ms"`
	P99ms       float64  `json:"p99_ms"`
	MaxMs       float64  `json:"max_ms"`
	Errors      []string `json:"errors,omitempty"`
}

// Client is an HTTP client that keeps a connection per request of a burst of n.
func Client(n int) *http.Client {
	return &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
		MaxIdleConns: 2 * n, MaxIdleConnsPerHost: 2 * n, IdleConnTimeout: time.Minute}}
}

// Fire sends every request at the same moment, one goroutine each, and
// measures each answer and the whole burst.
func Fire(name string, client *http.Client, reqs []*http.Request) Figures {
	f, _ := FireRetryingBusy(name, client, reqs, 0)
	return f
}

// FireRetryingBusy is Fire whose phones do what the mini-program does with a
// 503 busy answer (the submit gate's "报名人数较多，请稍后重试"): wait its
// Retry-After and send the request again, up to retries times. It also
// returns how many busy answers were retried; each request's time runs from
// its first send to its last answer.
func FireRetryingBusy(name string, client *http.Client, reqs []*http.Request, retries int) (Figures, int) {
	var busyRetried atomic.Int64
	type shot struct {
		status int
		code   string
		dur    time.Duration
		err    error
	}
	shots := make([]shot, len(reqs))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, req := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			t := time.Now()
			for try := 0; ; try++ {
				res, err := client.Do(req)
				if err != nil {
					shots[i] = shot{err: err, dur: time.Since(t)}
					return
				}
				body, err := io.ReadAll(res.Body)
				res.Body.Close()
				code := ""
				if res.StatusCode/100 != 2 {
					code = ErrorCode(body)
				}
				shots[i] = shot{status: res.StatusCode, code: code, dur: time.Since(t), err: err}
				if err != nil || res.StatusCode != http.StatusServiceUnavailable || code != "busy" || try == retries ||
					(req.Body != nil && req.GetBody == nil) {
					return
				}
				wait, _ := strconv.Atoi(res.Header.Get("Retry-After"))
				time.Sleep(time.Duration(max(wait, 1)) * time.Second)
				next := req.Clone(req.Context())
				if req.GetBody != nil {
					if next.Body, err = req.GetBody(); err != nil {
						return
					}
				}
				req = next
				busyRetried.Add(1)
			}
		}()
	}
	t0 := time.Now()
	close(start)
	wg.Wait()
	wall := time.Since(t0)
	f := Figures{Name: name, Requests: len(reqs), WallMs: Ms(wall), Throughput: float64(len(reqs)) / wall.Seconds()}
	durs := make([]time.Duration, 0, len(shots))
	for _, s := range shots {
		durs = append(durs, s.dur)
		switch {
		case s.err == nil && s.status/100 == 2:
			f.Accepted++
		case s.err == nil && s.status == http.StatusConflict && s.code == "plan_full":
			f.PlanFull++
		default:
			f.OtherErrors++
			if len(f.Errors) < 5 {
				f.Errors = append(f.Errors, fmt.Sprintf("%d %s %v", s.status, s.code, s.err))
			}
		}
	}
	slices.Sort(durs)
	f.P50ms, f.P99ms, f.MaxMs = Ms(durs[len(durs)/2]), Ms(durs[len(durs)*99/100]), Ms(durs[len(durs)-1])
	return f, int(busyRetried.Load())
}

// ErrorCode is the code of an error answer ({"error":{"code":…}}). The
// server writes that key first, so it is read from the body's start, and the
// body is decoded only when it starts otherwise. The client of a burst runs on
// the server's two cores: decoding each of 1,940 refusals (their Chinese
// message included) took it about as long as writing the answer took the
// server, and the 2xx answers (registrations) are not decoded at all.
func ErrorCode(body []byte) string {
	const start = `{"error":{"code":"`
	if rest, ok := bytes.CutPrefix(body, []byte(start)); ok {
		if code, _, ok := bytes.Cut(rest, []byte(`"`)); ok && bytes.IndexByte(code, '\\') < 0 {
			return string(code)
		}
	}
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	_ = json.Unmarshal(body, &e)
	return e.Error.Code
}

// Ms is d in milliseconds.
func Ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
