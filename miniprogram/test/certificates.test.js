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

  test('empty and error states', async () => {
    wx.__server.on('GET', '/api/v1/certificates', { status: 200, body: { items: [] } });
    const empty = await renderPage('certificates');
    expect(text(empty)).toMatchSnapshot();
    wx.__server.on('GET', '/api/v1/certificates', { status: 500, body: {} });
    const failed = await renderPage('certificates');
    expect(text(failed)).toContain('服务异常，请稍后再试');
  });
});
