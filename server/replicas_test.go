package server_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/testenv"
)

// replicas is two servers on one MariaDB database, as two replicas behind a
// load balancer, and an institution account to manage plans with.
type replicas struct {
	a, b *testenv.App
	st   core.Staff
	n    int
}

func newReplicas(t *testing.T, env map[string]string) *replicas {
	t.Helper()
	dsn := testenv.NewDSN(t, "mysql")
	r := &replicas{}
	r.a = testenv.Start(t, dsn, testenv.Options{Env: env})
	r.b = testenv.Start(t, dsn, testenv.Options{Env: env})
	inst := r.a.CreateInstitution(t, "广东岭南现代技师学院")
	r.st = r.a.CreateStaff(t, "lingnan", domain.RoleInstitution, inst.ID, "")
	return r
}

// planForm is a plan whose registration window is open today (Beijing).
func planForm(no, address string) domain.PlanForm {
	today := time.Now().In(domain.Beijing)
	d := func(days int) string { return today.AddDate(0, 0, days).Format("2006-01-02") }
	return domain.PlanForm{PlanNo: no, PlanName: "2026年人工智能训练师认定 " + no, OccupationName: "人工智能训练师",
		Level: "2", SeatsTotal: "10", City: "广州市", District: "天河区", Address: address,
		RegStart: d(-1), RegDeadline: d(20), EvalStart: d(30), EvalEnd: d(30), ContactName: "林老师",
		ContactPhone: "020-87000000", SupervisionRegion: "广东省（省本级）"}
}

// plan creates and publishes a plan through app (the replica the institution
// uses) and returns its id and a registration code.
func (r *replicas) plan(t *testing.T, app *testenv.App) (int64, string) {
	t.Helper()
	ctx := context.Background()
	r.n++
	p, err := app.Core.CreatePlan(ctx, &r.st, planForm(fmt.Sprintf("RP%03d", r.n), "龙洞东路"))
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Core.PublishPlan(ctx, &r.st, p.ID); err != nil {
		t.Fatal(err)
	}
	codes, err := app.Core.GenerateCodes(ctx, &r.st, p.ID, 1, "")
	if err != nil {
		t.Fatal(err)
	}
	return p.ID, codes[0].Code
}

// seatsLeft is what a candidate reading app sees of a plan: its seats left, or
// -1 when the plan is not visible there.
func seatsLeft(t *testing.T, app *testenv.App, id int64) int {
	t.Helper()
	res := app.Client().Get(t, fmt.Sprintf("/api/v1/plans/%d", id))
	if res.Status == http.StatusNotFound {
		return -1
	}
	var v core.PlanView
	res.JSON(t, &v)
	return v.SeatsLeft
}

// converge waits until app shows want seats left for plan id, at most within,
// and returns how long that took (failing the test when it never does).
func converge(t *testing.T, app *testenv.App, name string, id int64, want int, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		got := seatsLeft(t, app, id)
		if got == want {
			return time.Since(start)
		}
		if time.Since(start) > within {
			t.Fatalf("replica %s shows %d seats left of plan %d after %s; the database says %d", name, got, id, within, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// editor edits a plan through app every period until stop is called: the
// stream of changes that moves a replica's view of "recent" forward.
func (r *replicas) editor(t *testing.T, app *testenv.App, id int64, period time.Duration) (stop func()) {
	t.Helper()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			case <-time.After(period):
			}
			if _, err := app.Core.UpdatePlan(context.Background(), &r.st, id, planForm(fmt.Sprintf("RP%03d", id), fmt.Sprintf("龙洞东路%d号", i))); err != nil {
				t.Errorf("edit plan %d: %v", id, err)
				return
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// within is how soon both replicas must show a committed change: the poll
// interval of the read model, with room for a loaded test machine.
const within = core.PollInterval + 4*time.Second

// A MariaDB session holds one plan's row lock for 7 s while another plan is
// edited every 0.5 s; a submit on A waits for the lock and commits late. Both
// replicas must show the seat taken within the refresh interval (before the
// change feed, B never did: the seat's updated_at was stamped before the lock
// wait, behind the edits B had already seen).
func TestReplicasSeeASubmitThatWaitedForALock(t *testing.T) {
	r := newReplicas(t, nil)
	x, code := r.plan(t, r.a)
	y, _ := r.plan(t, r.a)
	c, regID := testenv.ReadyToSubmit(t, r.a, code, testenv.Registrant{Name: "张三"})
	converge(t, r.b, "B", x, 10, within)
	converge(t, r.b, "B", y, 10, within)

	ctx := context.Background()
	lock, err := r.a.DB.W.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if _, err := lock.ExecContext(ctx, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	if _, err := lock.ExecContext(ctx, "SELECT id FROM plans WHERE id = ? FOR UPDATE", x); err != nil {
		t.Fatal(err)
	}
	stop := r.editor(t, r.a, y, 500*time.Millisecond)
	defer stop()
	submitted := make(chan *testenv.Response, 1)
	go func() {
		submitted <- c.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/registrations/%d/submit", regID), nil)
	}()
	time.Sleep(7 * time.Second)
	if _, err := lock.ExecContext(ctx, "COMMIT"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if res := <-submitted; res.Status != http.StatusOK {
		t.Fatalf("submit: %d %s", res.Status, res.Body)
	}
	t.Logf("the submit committed %s after the lock was released", time.Since(start).Round(time.Millisecond))
	var taken int
	if err := r.a.DB.R.GetContext(ctx, &taken, "SELECT seats_taken FROM plans WHERE id = ?", x); err != nil || taken != 1 {
		t.Fatalf("database: %d seats taken (%v), want 1", taken, err)
	}
	da := converge(t, r.a, "A", x, 9, within)
	db := converge(t, r.b, "B", x, 9, within)
	t.Logf("converged after the commit: A in %s, B in %s", da.Round(time.Millisecond), db.Round(time.Millisecond))
	// And it stays right while the edits go on.
	time.Sleep(2 * core.PollInterval)
	if got := seatsLeft(t, r.b, x); got != 9 {
		t.Fatalf("B went back to %d seats left", got)
	}
}

// Replica A's clock is 10 s behind; B (right clock) edits a plan every 0.5 s.
// A's seat take, its edit of a plan's seats and a plan it publishes must all
// show on B within the refresh interval (before the change feed, B skipped
// every row A stamped more than 5 s behind the newest it had seen).
func TestReplicasSeeTheWritesOfAReplicaWithASkewedClock(t *testing.T) {
	r := newReplicas(t, nil)
	r.a.Clock.Skew(-10 * time.Second)
	x, code := r.plan(t, r.b)
	y, _ := r.plan(t, r.b)
	c, regID := testenv.ReadyToSubmit(t, r.a, code, testenv.Registrant{Name: "李四"})
	converge(t, r.a, "A", x, 10, within)
	stop := r.editor(t, r.b, y, 500*time.Millisecond)
	defer stop()
	time.Sleep(2 * time.Second) // B has seen edits stamped by the right clock

	if res := c.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/registrations/%d/submit", regID), nil); res.Status != http.StatusOK {
		t.Fatalf("submit on A: %d %s", res.Status, res.Body)
	}
	d := converge(t, r.b, "B", x, 9, within)
	t.Logf("B shows A's seat take after %s", d.Round(time.Millisecond))

	// A publishes a new plan: B lists it.
	z, _ := r.plan(t, r.a)
	d = converge(t, r.b, "B", z, 10, within)
	t.Logf("B shows the plan A published after %s", d.Round(time.Millisecond))

	// A closes plan z: B shows it closed.
	if err := r.a.Core.ClosePlan(context.Background(), &r.st, z); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(within)
	for {
		var v core.PlanView
		r.b.Client().Get(t, fmt.Sprintf("/api/v1/plans/%d", z)).JSON(t, &v)
		if v.Status == core.PlanStatusClosed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("B still shows plan %d as %q after A closed it", z, v.Status)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// testRedisURL is the shared Redis (testenv.SharedRedisURL).
func testRedisURL(t *testing.T) string { return testenv.SharedRedisURL(t) }

// signedOutOnA signs a candidate in on A, has B remember the session, signs out
// on A and returns the token's client pointed at B.
func signedOutOnA(t *testing.T, r *replicas) *testenv.Client {
	t.Helper()
	c := testenv.SignIn(t, r.a)
	onB := r.b.Client()
	onB.Token = c.Token
	for range 3 { // B looks the session up once and then trusts its cache
		if res := onB.Get(t, "/api/v1/me"); res.Status != http.StatusOK {
			t.Fatalf("B before the sign-out: %d %s", res.Status, res.Body)
		}
	}
	if res := c.Do(t, http.MethodPost, "/api/v1/auth/logout", nil); res.Status/100 != 2 {
		t.Fatalf("sign out on A: %d %s", res.Status, res.Body)
	}
	if res := c.Get(t, "/api/v1/me"); res.Status != http.StatusUnauthorized {
		t.Fatalf("A after the sign-out: %d", res.Status)
	}
	return onB
}

// With Redis, a token signed out on A is refused by B at once, although B had
// just looked the session up.
func TestSignOutReachesEveryReplicaAtOnceWithRedis(t *testing.T) {
	r := newReplicas(t, map[string]string{"SKILLCERT_REDIS_URL": testRedisURL(t)})
	onB := signedOutOnA(t, r)
	if res := onB.Get(t, "/api/v1/me"); res.Status != http.StatusUnauthorized {
		t.Fatalf("B right after the sign-out on A: %d %s, want 401", res.Status, res.Body)
	}
}

// Without Redis, B refuses the token once it reads the sign-out in the session
// revocation feed: within core.SessionFeedTrust (3 s) of the sign-out.
func TestSignOutReachesEveryReplicaWithinTheFeedTimeWithoutRedis(t *testing.T) {
	r := newReplicas(t, nil)
	onB := signedOutOnA(t, r)
	t.Logf("B refused the token %s after the sign-out on A", refusedBy(t, onB, "the sign-out on A"))
}

// An account deleted on A (注销账号) ends its sessions on B too, through the
// feed, without Redis.
func TestAccountDeletionReachesEveryReplica(t *testing.T) {
	r := newReplicas(t, nil)
	c := testenv.SignIn(t, r.a)
	onB := r.b.Client()
	onB.Token = c.Token
	for range 3 {
		if res := onB.Get(t, "/api/v1/me"); res.Status != http.StatusOK {
			t.Fatalf("B before the deletion: %d %s", res.Status, res.Body)
		}
	}
	if res := c.Do(t, http.MethodDelete, "/api/v1/me", map[string]any{"confirm": true}); res.Status/100 != 2 {
		t.Fatalf("delete the account on A: %d %s", res.Status, res.Body)
	}
	t.Logf("B refused the token %s after the deletion on A", refusedBy(t, onB, "the deletion on A"))
}

// refusedBy waits for c's token to be refused, at most core.SessionFeedTrust
// and a second, and returns how long it took.
func refusedBy(t *testing.T, c *testenv.Client, after string) time.Duration {
	t.Helper()
	start := time.Now()
	for c.Get(t, "/api/v1/me").Status != http.StatusUnauthorized {
		if time.Since(start) > core.SessionFeedTrust+time.Second {
			t.Fatalf("B still accepts the token %s after %s", time.Since(start), after)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return time.Since(start).Round(time.Millisecond)
}
