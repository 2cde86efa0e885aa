// Package demo loads the demo data: the Guangdong institutions, generated plans
// (plan 2501 of the seed guide with its registration code among them) and, in
// demo mode, the console accounts. `skillcert seed-demo`, SKILLCERT_DEMO and
// the bench and tests use it; nothing in the request path does.
package demo

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jmoiron/sqlx"

	"skillcert/domain"
	"skillcert/planindex"
	"skillcert/repo"
)

// Code is the registration code of the demo's plan 2501 (人工智能训练师 二级/技师).
const Code = "RGZN25GD"

// PlanNo is the seed guide's plan number.
const PlanNo = "2501"

// GuangdongCities are the 21 prefecture-level cities of Guangdong with a few of
// their districts, for demo and bench data.
var GuangdongCities = []struct {
	City      string
	Districts []string
}{
	{"广州市", []string{"天河区", "越秀区", "海珠区", "白云区", "番禺区", "黄埔区"}},
	{"深圳市", []string{"福田区", "南山区", "罗湖区", "宝安区", "龙岗区"}},
	{"珠海市", []string{"香洲区", "斗门区", "金湾区"}},
	{"汕头市", []string{"金平区", "龙湖区", "潮阳区"}},
	{"佛山市", []string{"禅城区", "南海区", "顺德区"}},
	{"韶关市", []string{"浈江区", "武江区"}},
	{"湛江市", []string{"赤坎区", "霞山区"}},
	{"肇庆市", []string{"端州区", "鼎湖区"}},
	{"江门市", []string{"蓬江区", "江海区", "新会区"}},
	{"茂名市", []string{"茂南区", "电白区"}},
	{"惠州市", []string{"惠城区", "惠阳区"}},
	{"梅州市", []string{"梅江区", "梅县区"}},
	{"汕尾市", []string{"城区"}},
	{"河源市", []string{"源城区"}},
	{"阳江市", []string{"江城区", "阳东区"}},
	{"清远市", []string{"清城区", "清新区"}},
	{"东莞市", []string{"南城街道", "松山湖", "长安镇"}},
	{"中山市", []string{"石岐街道", "火炬开发区"}},
	{"潮州市", []string{"湘桥区", "潮安区"}},
	{"揭阳市", []string{"榕城区", "揭东区"}},
	{"云浮市", []string{"云城区", "云安区"}},
}

// guangdongAreaCodes are the telephone area codes of Guangdong's cities.
var guangdongAreaCodes = map[string]string{
	"广州市": "020", "深圳市": "0755", "珠海市": "0756", "汕头市": "0754", "佛山市": "0757", "韶关市": "0751",
	"湛江市": "0759", "肇庆市": "0758", "江门市": "0750", "茂名市": "0668", "惠州市": "0752", "梅州市": "0753",
	"汕尾市": "0660", "河源市": "0762", "阳江市": "0662", "清远市": "0763", "东莞市": "0769", "中山市": "0760",
	"潮州市": "0768", "揭阳市": "0663", "云浮市": "0766",
}

// cityOf returns the city of a demo institution ("" when not one).
func cityOf(name string) string {
	for _, d := range Institutions {
		if d.Name == name {
			return d.City
		}
	}
	return ""
}

// districtOf returns the first listed district of a city.
func districtOf(city string) string {
	for _, c := range GuangdongCities {
		if c.City == city {
			return c.Districts[0]
		}
	}
	return ""
}

// roads are street names for demo addresses (the city and district are
// separate fields, so addresses never repeat them).
var roads = []string{"人民路", "中山路", "解放路", "建设路", "工业大道", "学府路", "文明路", "新华路",
	"东风路", "环城路", "育才路", "迎宾大道"}

// Occupations are real occupation names (with a work type where the national
// catalogue has one) for demo and bench data.
var Occupations = []struct{ Occupation, WorkType string }{
	{"电工", "无"}, {"育婴员", "无"}, {"保育师", "无"}, {"中式烹调师", "无"}, {"中式面点师", "无"},
	{"西式烹调师", "无"}, {"西式面点师", "无"}, {"美容师", "无"}, {"美发师", "无"}, {"人工智能训练师", "无"},
	{"互联网营销师", "直播销售员"}, {"互联网营销师", "视频创推员"}, {"焊工", "电焊工"}, {"焊工", "气焊工"},
	{"家政服务员", "无"}, {"养老护理员", "无"}, {"企业人力资源管理师", "无"}, {"电子商务师", "无"},
	{"物流服务师", "无"}, {"汽车维修工", "汽车机械维修工"}, {"车工", "无"}, {"钳工", "装配钳工"},
	{"铣工", "无"}, {"电梯安装维修工", "无"}, {"制冷空调系统安装维修工", "无"}, {"茶艺师", "无"},
	{"评茶员", "无"}, {"调酒师", "无"}, {"咖啡师", "无"}, {"眼镜验光员", "无"}, {"眼镜定配工", "无"},
	{"保安员", "无"}, {"消防设施操作员", "无"}, {"网络与信息安全管理员", "网络安全管理员"},
	{"计算机程序设计员", "无"}, {"信息通信网络运行管理员", "无"}, {"劳动关系协调员", "无"},
	{"插花花艺师", "无"}, {"服装制版师", "无"}, {"化学检验员", "无"}, {"药物制剂工", "无"},
	{"工业机器人系统操作员", "无"}, {"汽车装调工", "无"}, {"公共营养师", "无"}, {"中药调剂员", "无"},
	{"摄影师", "无"}, {"数控车工", "无"}, {"健康照护师", "无"},
}

// Institutions are evaluation institutions of the demo, the seed's first.
var Institutions = []struct{ Name, City string }{
	{"广东岭南现代技师学院", "广州市"}, {"广州市技师学院", "广州市"}, {"广州市工贸技师学院", "广州市"},
	{"广州市公用事业技师学院", "广州市"}, {"广东省城市技师学院", "广州市"}, {"广东省机械技师学院", "广州市"},
	{"广东省交通运输技师学院", "广州市"}, {"广东省轻工业技师学院", "广州市"}, {"深圳技师学院", "深圳市"},
	{"深圳市第二高级技工学校", "深圳市"}, {"珠海市技师学院", "珠海市"}, {"汕头技师学院", "汕头市"},
	{"佛山市技师学院", "佛山市"}, {"韶关市技师学院", "韶关市"}, {"湛江市技师学院", "湛江市"},
	{"肇庆市技师学院", "肇庆市"}, {"江门市技师学院", "江门市"}, {"茂名市高级技工学校", "茂名市"},
	{"惠州市技师学院", "惠州市"}, {"梅州市技师学院", "梅州市"}, {"汕尾技师学院", "汕尾市"},
	{"河源技师学院", "河源市"}, {"阳江技师学院", "阳江市"}, {"清远市技师学院", "清远市"},
	{"东莞市技师学院", "东莞市"}, {"中山市技师学院", "中山市"}, {"潮州市高级技工学校", "潮州市"},
	{"揭阳技师学院", "揭阳市"}, {"云浮技师学院", "云浮市"},
}

var surnames = []string{"陈", "李", "张", "黄", "林", "王", "吴", "刘", "何", "梁", "郑", "罗"}

// Info is what the start-up log prints about the demo.
type Info struct {
	Seeded bool
	PlanID int64
	Code   string
	Plans  int
}

// Seed loads the deterministic demo set into an empty database: the
// institutions, the seed's plan 2501 open for registration with Code, and
// about 1,200 more published plans over Guangdong's cities, levels and
// occupations. Dates are relative to now, so the demo never goes stale. It does
// nothing (Seeded false) when the database already has plans.
func Seed(ctx context.Context, db *repo.DB, now time.Time, extra int) (Info, error) {
	n, err := db.CountPlans(ctx)
	if err != nil {
		return Info{}, err
	}
	if n > 0 {
		info := Info{Code: Code}
		if p, err := db.GetPlanByNo(ctx, db.R, PlanNo); err == nil {
			info.PlanID = p.ID
		}
		return info, nil
	}
	insts, err := EnsureInstitutions(ctx, db, now)
	if err != nil {
		return Info{}, err
	}
	ts := now.UTC().Truncate(time.Microsecond)
	day := dayFrom(now)
	regStart := day(-7)
	seed := repo.Plan{
		PlanNo: PlanNo, PlanName: regStart[:4] + "年人工智能训练师（二级/技师）职业技能等级认定",
		InstitutionID: insts[0].ID, OccupationName: "人工智能训练师", WorkType: "无", Level: 2,
		SeatsTotal: 60, City: "广州市", District: "天河区", Address: "龙洞东路（广东岭南现代技师学院实训楼）",
		RegStart: regStart, RegDeadline: day(14), EvalStart: day(21), EvalEnd: day(21),
		ContactName: "林老师", ContactPhone: "020-87000000", SupervisionRegion: "广东省（省本级）",
		State: repo.PlanPublished, PublishedAt: sql.NullTime{Time: ts, Valid: true}, CreatedAt: ts, UpdatedAt: ts,
	}
	var info Info
	err = db.WithSQLTx(ctx, func(tx *sqlx.Tx) error {
		if err := db.InsertPlan(ctx, tx, &seed); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO registration_codes (code, plan_id, state, use_count, created_at) VALUES (?, ?, 'active', 0, ?)`,
			Code, seed.ID, ts)
		return err
	})
	if err != nil {
		return Info{}, fmt.Errorf("seed plan 2501: %w", err)
	}
	plans := GenPlans(GenOptions{N: extra, Seed: 2501, Now: now, Institutions: insts, FirstNo: 1})
	for i := range plans {
		// The demo has no registrations behind generated plans: no seat is taken.
		plans[i].SeatsTaken = 0
	}
	if err := db.InsertPlansBulk(ctx, plans); err != nil {
		return Info{}, err
	}
	info = Info{Seeded: true, PlanID: seed.ID, Code: Code, Plans: len(plans) + 1}
	return info, nil
}

// EnsureInstitutions inserts the demo institutions that are missing and returns all of them.
func EnsureInstitutions(ctx context.Context, db *repo.DB, now time.Time) ([]repo.Institution, error) {
	ts := now.UTC().Truncate(time.Microsecond)
	out := make([]repo.Institution, 0, len(Institutions))
	for i, d := range Institutions {
		in, err := db.GetInstitutionByName(ctx, db.W, d.Name)
		if repo.IsNoRows(err) {
			in = repo.Institution{Name: d.Name, ContactName: surnames[i%len(surnames)] + "老师",
				ContactPhone: fmt.Sprintf("%s-8%07d", guangdongAreaCodes[d.City], 1000000+i*7919),
				Address:      d.City + districtOf(d.City) + roads[i%len(roads)] + fmt.Sprintf("%d号", 10+i*7%190),
				CreatedAt:    ts, UpdatedAt: ts}
			err = db.InsertInstitution(ctx, db.W, &in)
			if err == nil {
				// Its city decides whose training intentions its staff see (issue 9).
				err = db.WithTx(ctx, func(tx repo.Tx) error { return tx.SetInstitutionCity(ctx, in.ID, d.City, ts) })
			}
		}
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}

// GenOptions configures GenPlans.
type GenOptions struct {
	N            int
	Seed         uint64
	Now          time.Time
	Institutions []repo.Institution
	FirstNo      int // plan numbers are "26" + a 6-digit sequence from here
}

// GenPlans makes n deterministic published plans: every city, level and
// occupation, with windows open (~45%), not yet open (~20%), closed (~30%) and
// full (~5%) relative to opt.Now.
func GenPlans(opt GenOptions) []repo.Plan {
	r := rand.New(rand.NewPCG(opt.Seed, opt.Seed*7+1))
	ts := opt.Now.UTC().Truncate(time.Microsecond)
	day := dayFrom(opt.Now)
	year := func(offset int) int {
		y, _, _ := time.Unix(int64(planindex.Today(opt.Now)+int32(offset))*86400, 0).UTC().Date()
		return y
	}
	out := make([]repo.Plan, 0, opt.N)
	for i := 0; i < opt.N; i++ {
		c := GuangdongCities[r.IntN(len(GuangdongCities))]
		o := Occupations[r.IntN(len(Occupations))]
		lv := 1 + r.IntN(5)
		inst := opt.Institutions[r.IntN(len(opt.Institutions))]
		// Prefer an institution of the plan's city, as in the real data.
		var local []repo.Institution
		for _, in := range opt.Institutions {
			if cityOf(in.Name) == c.City {
				local = append(local, in)
			}
		}
		if len(local) > 0 {
			inst = local[r.IntN(len(local))]
		}
		seats := 20 + 10*r.IntN(19)
		taken := 0
		var start, deadline int
		switch k := r.IntN(100); {
		case k < 45: // open
			start, deadline = -r.IntN(20)-1, r.IntN(30)
			taken = r.IntN(seats)
		case k < 65: // not yet open
			start = 1 + r.IntN(30)
			deadline = start + 7 + r.IntN(23)
		case k < 95: // closed
			deadline = -1 - r.IntN(180)
			start = deadline - 7 - r.IntN(23)
			taken = r.IntN(seats + 1)
		default: // full
			start, deadline = -r.IntN(10)-1, r.IntN(20)
			taken = seats
		}
		district := c.Districts[r.IntN(len(c.Districts))]
		evalStart := deadline + 3 + r.IntN(18)
		evalEnd := evalStart + r.IntN(3)
		region := c.City
		if r.IntN(6) == 0 {
			region = "广东省（省本级）"
		}
		name := fmt.Sprintf("%d年%s%s（%s）职业技能等级认定", year(start), c.City, o.Occupation,
			domain.Level(lv).Name())
		pub := ts.Add(-time.Duration(opt.N-i) * time.Minute)
		out = append(out, repo.Plan{
			PlanNo: fmt.Sprintf("26%06d", opt.FirstNo+i), PlanName: name, InstitutionID: inst.ID,
			OccupationName: o.Occupation, WorkType: o.WorkType, Level: lv, SeatsTotal: seats, SeatsTaken: taken,
			City: c.City, District: district,
			Address:  fmt.Sprintf("%s%d号（%s实训楼%d楼）", roads[r.IntN(len(roads))], 1+r.IntN(300), inst.Name, 1+r.IntN(8)),
			RegStart: day(start), RegDeadline: day(deadline), EvalStart: day(evalStart), EvalEnd: day(evalEnd),
			ContactName: surnames[r.IntN(len(surnames))] + "老师", ContactPhone: fmt.Sprintf("1%d%09d", 3+r.IntN(7), r.IntN(1e9)),
			SupervisionRegion: region, State: repo.PlanPublished, PublishedAt: sql.NullTime{Time: pub, Valid: true},
			CreatedAt: pub, UpdatedAt: ts,
		})
	}
	return out
}

// dayFrom returns a function giving the Beijing date offset days from now's date.
func dayFrom(now time.Time) func(offset int) string {
	t := planindex.Today(now)
	return func(offset int) string {
		return time.Unix(int64(t+int32(offset))*86400, 0).UTC().Format("2006-01-02")
	}
}
