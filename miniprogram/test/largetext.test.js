/**
 * Large text (适老化): WeChat follows the phone's font size, so at the largest setting
 * the form, the plan list and the record page must not clip a label or a button. Each
 * page is rendered with the real tdesign components and every node that shows text is
 * checked at twice the base font (test/helpers/clip.js): no one-line-only text
 * (nowrap), no ellipsis or line clamp, no fixed height shorter than a line.
 */
const { baseRoutes, plan, registration, list } = require('./helpers/api');
const { renderReal } = require('./helpers/tdesign');
const { clipped, parse, matches, resolveVars } = require('./helpers/clip');

jest.setTimeout(60000);

/** The largest WeChat font is about twice the standard one. */
const SCALE = 2;

/** Long values, as real plans and institutions have. */
const LONG = '广东省职业技能服务指导中心（广东省职业技能鉴定指导中心）第二评价站点';

describe('nothing is clipped at twice the base font', () => {
  test('评价计划查询 (plan list)', async () => {
    const server = baseRoutes(wx.__server);
    server.on('GET', '/api/v1/plans', { status: 200, body: list([plan({ institution_name: LONG, location: LONG }), plan({ id: 2, plan_no: '2502' })]) });
    const page = await renderReal('plans');
    expect(page.data.cards.length).toBe(2);
    expect(clipped(page, 'plans', SCALE)).toEqual([]);
  });

  test('考生报名 (form)', async () => {
    const server = baseRoutes(wx.__server);
    const REG = '/api/v1/registrations/11';
    server.on('GET', REG, { status: 200, body: registration({ employer: LONG }) });
    server.on('GET', `${REG}/checklist`, { status: 200, body: { items: [{ key: 'diploma', name: '毕业证', required: true, satisfied: false, hint: '' }] } });
    server.on('GET', `${REG}/attachments`, { status: 200, body: { items: [] } });
    const page = await renderReal('form', { query: { id: '11' } });
    expect(page.data.form.employer).toBe(LONG);
    expect(clipped(page, 'form', SCALE)).toEqual([]);
  });

  test('报名详情 (record)', async () => {
    baseRoutes(wx.__server);
    wx.__server.on('GET', '/api/v1/registrations/5', {
      status: 200,
      body: registration({ id: 5, status: 'returned', status_name: '退回修改', employer: LONG, review_note: `所在单位与社保不一致：${LONG}`, return_fields: ['employer'] }),
    });
    wx.__server.on('GET', '/api/v1/registrations/5/attachments', { status: 200, body: { items: [] } });
    const page = await renderReal('record', { query: { id: '5' } });
    expect(clipped(page, 'record', SCALE)).toEqual([]);
  });
});

describe('the check itself', () => {
  // A check that finds nothing proves little: it must see what clips.
  test('finds nowrap, ellipsis, line clamp and short fixed heights', () => {
    const rules = parse('.a{white-space:nowrap}.b{text-overflow:ellipsis;overflow:hidden}.c{height:var(--h,40rpx)}.d::after{height:1px}');
    expect(rules.map((r) => Object.keys(r.decls)[0])).toEqual(['white-space', 'text-overflow', 'height', 'height']);
    expect(matches('.x .t-button--size-small', new Set(['t-button--size-small']))).toBe(true);
    expect(matches('.d::after', new Set(['d']))).toBe(false);
    expect(resolveVars('var(--h,40rpx)', {})).toBe('40rpx');
    expect(resolveVars('var(--h,40rpx)', { '--h': 'auto' })).toBe('auto');
  });

  test('tdesign as shipped would clip the plan list buttons and tags (our overrides are needed)', async () => {
    const server = baseRoutes(wx.__server);
    server.on('GET', '/api/v1/plans', { status: 200, body: list([plan()]) });
    const page = await renderReal('plans');
    const found = clipped(page, 'plans', SCALE, { plain: true });
    expect(found.map((f) => f.why).join('\n')).toMatch(/fixed height/);
    expect(found.map((f) => f.why).join('\n')).toMatch(/ellipsis/);
    expect(found.map((f) => f.text)).toEqual(expect.arrayContaining(['联系评价机构']));
  });
});
