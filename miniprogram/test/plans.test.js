const { renderPage, text, tap, fire, flush } = require('./helpers/render');
const { baseRoutes, plan, list } = require('./helpers/api');

/** @param {number} n @param {number} from */
function plans(n, from = 1) {
  return Array.from({ length: n }, (_, i) => plan({ id: from + i, plan_no: String(2500 + from + i), plan_name: `计划${from + i}` }));
}

describe('评价计划查询', () => {
  beforeEach(() => baseRoutes(wx.__server));

  test('lists plans with the count, the hint and the list columns', async () => {
    wx.__server.on('GET', '/api/v1/plans', { status: 200, body: list(plans(2), 2) });
    const page = await renderPage('plans');
    const out = text(page);
    expect(out).toMatchSnapshot();
    expect(out).toContain('共 2 条');
    expect(out).toContain('如有意向报名，请通过联系评价机构联系人获取报名码');
    expect(out).toContain('标签： 全部 一级 二级 三级 四级 五级');
  });

  test('loading state while the first page is on its way', async () => {
    wx.__server.on('GET', '/api/v1/plans', () => new Promise(() => {}));
    const page = await renderPage('plans');
    expect(text(page)).toContain('（加载中…）');
    expect(text(page)).toMatchSnapshot();
  });

  test('empty state', async () => {
    wx.__server.on('GET', '/api/v1/plans', { status: 200, body: list([], 0) });
    const page = await renderPage('plans');
    expect(text(page)).toMatchSnapshot();
    expect(text(page)).toContain('暂无符合条件的评价计划');
  });

  test('error state, then retry', async () => {
    wx.__server.on('GET', '/api/v1/plans', { status: 503, body: { error: { code: 'db_down', message: '服务暂时不可用，请稍后再试' } } });
    const page = await renderPage('plans');
    expect(text(page)).toMatchSnapshot();
    wx.__server.on('GET', '/api/v1/plans', { status: 200, body: list(plans(1), 1) });
    await tap(page, '#state >>> #retry');
    expect(text(page)).toContain('计划1');
  });

  test('level tab and filters go into the query', async () => {
    wx.__server.on('GET', '/api/v1/plans', { status: 200, body: list(plans(1), 1) });
    const page = await renderPage('plans');
    await fire(page, '#levels', 'change', { value: '3', label: '三级' });
    await fire(page, '#occupation', 'change', { value: 2 });
    await fire(page, '#city', 'change', { value: 1 });
    await fire(page, '#sort', 'change', { value: 1 });
    const last = wx.__server.calls.filter((c) => c.path.startsWith('/api/v1/plans')).pop();
    expect(last.path).toBe('/api/v1/plans?level=3&occupation=6-28-01-01&city=440100&sort=eval_start&page_size=20&page=1');
  });

  test('infinite scroll appends the next page until the total is reached', async () => {
    wx.__server.on('GET', '/api/v1/plans', (req) => {
      const page = Number(/page=(\d+)/.exec(req.path.replace('page_size', 'x'))[1]);
      return { status: 200, body: list(page === 1 ? plans(20, 1) : plans(5, 21), 25, page) };
    });
    const page = await renderPage('plans');
    expect(page.data.cards).toHaveLength(20);
    page.instance.onReachBottom();
    await flush();
    expect(page.data.cards).toHaveLength(25);
    expect(text(page)).toContain('没有更多了');
    page.instance.onReachBottom();
    await flush();
    expect(wx.__server.count('GET', '/api/v1/plans')).toBe(2);
  });

  test('pull to refresh reloads and stops the spinner', async () => {
    wx.__server.on('GET', '/api/v1/plans', { status: 200, body: list(plans(1), 1) });
    const page = await renderPage('plans');
    await page.instance.onPullDownRefresh();
    expect(wx.__server.count('GET', '/api/v1/plans')).toBe(2);
    expect(wx.stopPullDownRefresh).toHaveBeenCalled();
  });

  test('a card opens the plan; its contact button only calls', async () => {
    wx.__server.on('GET', '/api/v1/plans', { status: 200, body: list(plans(2), 2) });
    const page = await renderPage('plans');
    const card = page.querySelectorAll('.plan')[1];
    card.dispatchEvent('tap');
    await flush();
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/plan/plan?id=2' });
  });
});

describe('评价计划详情', () => {
  beforeEach(() => baseRoutes(wx.__server));

  test('every confirmation field, seats left, a call button and 用报名码报名', async () => {
    wx.__server.on('GET', '/api/v1/plans/7', { status: 200, body: plan({ id: 7, status: 'open', status_name: '报名中', seats_left: 12 }) });
    const page = await renderPage('plan', { query: { id: '7' } });
    const out = text(page);
    for (const k of ['评价计划编号', '评价机构名称', '职业名称', '工种名称', '评价等级', '最大允许报名人数', '剩余名额：12',
      '评价开始日期', '评价结束日期', '报名开始日期', '报名截止日期', '评价业务联系人', '联系电话', '业务监管地', '考试地点']) {
      expect(out).toContain(k);
    }
    await tap(page, '#call');
    expect(wx.makePhoneCall).toHaveBeenCalled();
    await tap(page, '#register');
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/register/register' });
  });

  test('an unknown plan shows the error', async () => {
    wx.__server.on('GET', '/api/v1/plans/8', { status: 404, body: { error: { code: 'plan_not_found', message: '评价计划不存在' } } });
    const page = await renderPage('plan', { query: { id: '8' } });
    expect(text(page)).toContain('评价计划不存在');
  });
});
