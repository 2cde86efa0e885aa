const { renderPage, text } = require('./helpers/render');
const { baseRoutes, plan } = require('./helpers/api');

const STAGES = ['成绩录入', '成绩公示', '认定结果审核通过', '证书制作', '已上报全国联网', '待领取/已邮寄', '已领取'];

describe('证书进度查询', () => {
  beforeEach(() => baseRoutes(wx.__server));

  test('timeline, per-subject results and the certificate number', async () => {
    wx.__server.on('GET', '/api/v1/certificates', {
      status: 200,
      body: {
        items: [{
          registration_id: 11,
          plan: plan(),
          results: [
            { subject: 'theory', subject_name: '理论', result: 'pass', score: 82 },
            { subject: 'practice', subject_name: '实操', result: 'pass', score: 75 },
          ],
          stages: STAGES.map((name, i) => ({ code: `s${i}`, name, reached_at: i < 5 ? `2025-12-0${i + 1}T02:00:00Z` : null })),
          cert_no: 'Y440000000000000201234',
          national_query_hint: '可在全国职业技能等级证书查询中以姓名、证件号码和证书编号查询',
        }],
      },
    });
    const page = await renderPage('certificates');
    const out = text(page);
    expect(out).toMatchSnapshot();
    expect(out).toContain('理论 合格（82分）');
    expect(out).toContain('● 已上报全国联网 2025-12-05 10:00');
    expect(out).toContain('○ 已领取 待完成');
    expect(out).toContain('证书编号 Y440000000000000201234');
  });

  test('a stage passed over shows as done (the API\'s reached flag) and the national query says what to type', async () => {
    wx.__server.on('GET', '/api/v1/certificates', {
      status: 200,
      body: {
        items: [{
          registration_id: 12,
          plan: plan(),
          results: [],
          // The institution recorded 证书制作 directly: 成绩公示 and 认定结果审核通过 have no time but are reached.
          stages: STAGES.map((name, i) => ({ code: `s${i}`, name, reached: i <= 4,
            reached_at: i === 0 || i === 3 || i === 4 ? `2025-12-0${i + 1}T02:00:00Z` : null })),
          cert_no: 'Y440000000000000201234',
          national_query: { name: '技能人才评价证书全国联网查询', url: 'http://zscx.osta.org.cn/',
            fields: [{ name: '姓名', value: '王小明' }, { name: '证件号码', value: '110105********002X' }, { name: '证书编号', value: 'Y440000000000000201234' }] },
        }],
      },
    });
    const page = await renderPage('certificates');
    const out = text(page);
    expect(out).toContain('● 成绩公示 已完成');
    expect(out).toContain('● 认定结果审核通过 已完成');
    expect(out).toContain('○ 待领取/已邮寄 待完成');
    expect(out).toContain('zscx.osta.org.cn');
    expect(out).toContain('证件号码 110105********002X');
    const copied = [];
    wx.setClipboardData = (/** @type {any} */ o) => { copied.push(o.data); if (o.success) o.success(); };
    page.instance.copyQuery({ currentTarget: { dataset: { url: 'http://zscx.osta.org.cn/' } } });
    expect(copied).toEqual(['http://zscx.osta.org.cn/']);
  });

  test('empty and error states', async () => {
    wx.__server.on('GET', '/api/v1/certificates', { status: 200, body: { items: [] } });
    const empty = await renderPage('certificates');
    expect(text(empty)).toMatchSnapshot();
    wx.__server.on('GET', '/api/v1/certificates', { status: 500, body: {} });
    const failed = await renderPage('certificates');
    expect(text(failed)).toContain('服务异常，请稍后再试');
  });
});
