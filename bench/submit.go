package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"skillcert/core"
	"skillcert/demo"
	"skillcert/domain"
	"skillcert/repo"
	"skillcert/server"
)

func init() {
	register(Scenario{Name: "submit", Help: "2,000 signed-in candidates submit to one 60-seat plan at once, against the same burst to /healthz", Run: benchSubmit})
}

// Burst sizes of the submit scenario.
const (
	submitCandidates = 2000
	submitSeats      = 60
	submitRounds     = 4 // the last one on new connections
)

// BurstFigures is one burst of requests sent all at once.
type BurstFigures struct {
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

// SubmitRound is one round: the /healthz burst, then the submit burst, both on
// kept-alive connections or both on new ones.
type SubmitRound struct {
	NewConnections bool         `json:"new_connections"`
	Healthz        BurstFigures `json:"healthz"`
	Submit         BurstFigures `json:"submit"`
	Ratio          float64      `json:"wall_ratio"` // submit wall time / healthz wall time (target ≤ 2)
}

// SubmitReport is the submit scenario's report.
type SubmitReport struct {
	Candidates int           `json:"candidates"`
	Seats      int           `json:"seats"`
	SetupMs    float64       `json:"setup_ms"`
	Rounds     []SubmitRound `json:"rounds"`
}

// benchCandidate is a signed-in candidate with its draft in the current round.
type benchCandidate struct {
	id    int64
	token string
	reg   int64
}

func benchSubmit(ctx context.Context, env *Env) (any, error) {
	t0 := time.Now()
	cands, err := benchCandidates(ctx, env.App, submitCandidates)
	if err != nil {
		return nil, err
	}
	rep := SubmitReport{Candidates: submitCandidates, Seats: submitSeats}
	warm := burstClient()
	health := make([]*http.Request, submitCandidates)
	for i := range health {
		health[i], _ = http.NewRequest(http.MethodGet, env.URL+"/healthz", nil)
	}
	fire("warm-up /healthz", warm, health) // opens the connections the warm rounds reuse
	for round := 1; round <= submitRounds; round++ {
		planID, err := benchDrafts(ctx, env.App, cands, round)
		if err != nil {
			return nil, err
		}
		if round == 1 {
			rep.SetupMs = ms(time.Since(t0))
			fmt.Printf("setup: %d candidates signed in with complete drafts in %s\n", len(cands), time.Since(t0).Round(time.Millisecond))
		}
		subs := make([]*http.Request, len(cands))
		for i, c := range cands {
			subs[i], _ = http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/registrations/%d/submit", env.URL, c.reg), nil)
			subs[i].Header.Set("Authorization", "Bearer "+c.token)
		}
		// The last round: 2,000 phones that have no connection open yet.
		cold := round == submitRounds
		client := func() *http.Client {
			if cold {
				return burstClient()
			}
			return warm
		}
		label := fmt.Sprintf("round %d", round)
		if cold {
			label += " (new conns)"
		}
		r := SubmitRound{NewConnections: cold, Healthz: fire(label+": /healthz", client(), health)}
		r.Submit = fire(label+": submit", client(), subs)
		r.Ratio = r.Submit.WallMs / r.Healthz.WallMs
		taken, err := env.App.DB.SeatsTaken(ctx, env.App.DB.R, planID)
		if err != nil {
			return nil, err
		}
		if taken != submitSeats || r.Submit.Accepted != submitSeats || r.Submit.OtherErrors != 0 {
			fmt.Printf("!! round %d: %d seats taken, %d accepted, %d other errors\n", round, taken, r.Submit.Accepted, r.Submit.OtherErrors)
		}
		rep.Rounds = append(rep.Rounds, r)
	}
	printBursts(rep.Rounds)
	return rep, nil
}

// burstClient is an HTTP client that keeps a connection per request of a burst.
func burstClient() *http.Client {
	return &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
		MaxIdleConns: 2 * submitCandidates, MaxIdleConnsPerHost: 2 * submitCandidates, IdleConnTimeout: time.Minute}}
}

// benchCandidates makes n candidates with a bound identity and a session each,
// straight through the stores (the bench server has no WeChat to sign in with).
func benchCandidates(ctx context.Context, app *server.App, n int) ([]benchCandidate, error) {
	c, db := app.Core, app.DB
	now := time.Now().UTC().Truncate(time.Microsecond)
	out := make([]benchCandidate, n)
	err := parallel(n, func(i int) error {
		id, err := db.InsertCandidate(ctx, fmt.Sprintf("bench-openid-%06d", i), "", now)
		if err != nil {
			return err
		}
		number := fmt.Sprintf("44010619900101%04d", i) // distinct; never checked past binding
		sealed, err := app.Sealer.Seal(number)
		if err != nil {
			return err
		}
		err = db.WithTx(ctx, func(tx *sqlx.Tx) error {
			return db.SetCandidateIdentity(ctx, tx, id, repo.CandidateIdentity{Name: "考生", IDType: domain.IDTypeResidentCard,
				IDNumberEnc: sealed, IDNumberIdx: c.IDNumberIndex(number), Gender: domain.GenderMale,
				BirthDate: "1990-01-01", VerifyState: core.VerifyUnverified}, now)
		})
		if err != nil {
			return err
		}
		token, _, err := c.NewSession(ctx, id)
		out[i] = benchCandidate{id: id, token: token}
		return err
	})
	return out, err
}

// benchDrafts opens a new 60-seat plan and gives every candidate a complete
// draft on it (报名五级, 中等专科: the diploma is the one required file).
func benchDrafts(ctx context.Context, app *server.App, cands []benchCandidate, round int) (int64, error) {
	c, db := app.Core, app.DB
	now := time.Now()
	insts, err := demo.EnsureInstitutions(ctx, db, now)
	if err != nil {
		return 0, err
	}
	ts := now.UTC().Truncate(time.Microsecond)
	today := domain.TodayBeijing(now)
	p := repo.Plan{PlanNo: fmt.Sprintf("BENCH%02d", round), PlanName: "压测评价计划", InstitutionID: insts[0].ID,
		OccupationName: "保育师", WorkType: "无", Level: 5, SeatsTotal: submitSeats, City: "广州市",
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
	err = parallel(len(cands), func(i int) error {
		cd := &cands[i]
		v, _, err := c.CreateDraft(ctx, core.CodeRequest{CandidateID: cd.id, Code: code.Code})
		if err != nil {
			return err
		}
		cd.reg = v.ID
		s := func(v string) *string { return &v }
		yes := true
		if _, err := c.SaveForm(ctx, core.SaveFormRequest{CandidateID: cd.id, RegistrationID: v.ID, Patch: core.FormPatch{
			Basis: s(domain.BasisLevel5), Education: s("41"), Phone: s("13800138000"), CommitmentAccepted: &yes}}); err != nil {
			return err
		}
		_, err = c.AddAttachment(ctx, core.UploadRequest{CandidateID: cd.id, RegistrationID: v.ID, Item: domain.AttachDiploma,
			FileName: "毕业证.pdf", Body: strings.NewReader(string(diploma))})
		return err
	})
	return p.ID, err
}

// parallel runs fn for 0..n-1 on eight workers and returns the first error.
func parallel(n int, fn func(i int) error) error {
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

// fire sends every request at the same moment, one goroutine each, and
// measures each answer and the whole burst.
func fire(name string, client *http.Client, reqs []*http.Request) BurstFigures {
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
			res, err := client.Do(req)
			if err != nil {
				shots[i] = shot{err: err, dur: time.Since(t)}
				return
			}
			body, err := io.ReadAll(res.Body)
			res.Body.Close()
			var e struct {
				Error struct{ Code string } `json:"error"`
			}
			_ = json.Unmarshal(body, &e)
			shots[i] = shot{status: res.StatusCode, code: e.Error.Code, dur: time.Since(t), err: err}
		}()
	}
	t0 := time.Now()
	close(start)
	wg.Wait()
	wall := time.Since(t0)
	f := BurstFigures{Name: name, Requests: len(reqs), WallMs: ms(wall), Throughput: float64(len(reqs)) / wall.Seconds()}
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
	f.P50ms, f.P99ms, f.MaxMs = ms(durs[len(durs)/2]), ms(durs[len(durs)*99/100]), ms(durs[len(durs)-1])
	return f
}

func printBursts(rounds []SubmitRound) {
	fmt.Printf("%-32s %8s %8s %9s %6s %9s %9s %8s %8s %8s %7s\n", "burst", "requests", "accepted", "plan_full",
		"other", "wall ms", "req/s", "p50 ms", "p99 ms", "max ms", "ratio")
	for _, r := range rounds {
		for _, f := range []BurstFigures{r.Healthz, r.Submit} {
			ratio := ""
			if f.Name == r.Submit.Name {
				ratio = fmt.Sprintf("%.2f", r.Ratio)
			}
			fmt.Printf("%-32s %8d %8d %9d %6d %9.1f %9.0f %8.1f %8.1f %8.1f %7s\n", f.Name, f.Requests, f.Accepted,
				f.PlanFull, f.OtherErrors, f.WallMs, f.Throughput, f.P50ms, f.P99ms, f.MaxMs, ratio)
		}
	}
}
