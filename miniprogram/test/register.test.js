const { renderPage, text, tap, fire } = require('./helpers/render');
const { baseRoutes, plan, registration } = require('./helpers/api');

describe('报名码报名 steps 1 and 2', () => {
  beforeEach(() => baseRoutes(wx.__server));

  test('step 1: the empty code box counts 0 / 8 and Next is disabled', async () => {
    const page = await renderPage('register');
    expect(text(page)).toMatchSnapshot();
    expect(text(page)).toContain('0 / 8');
    expect(page.querySelector('#next').instance.data.disabled).toBe(true);
  });

  test('Next is enabled only at 8 characters; input is upper-cased without spaces', async () => {
    const page = await renderPage('register');
    await fire(page, '#code', 'change', { value: 'ab3d' });
    expect(page.data.code).toBe('AB3D');
    expect(text(page)).toContain('4 / 8');
    expect(page.querySelector('#next').instance.data.disabled).toBe(true);

    await fire(page, '#code', 'change', { value: ' ab3d ef9 ' });
    expect(page.data.code).toBe('AB3DEF9');
    expect(page.querySelector('#next').instance.data.disabled).toBe(true);
    await tap(page, '#next');
    expect(wx.__server.count('POST', '/api/v1/registration-codes/lookup')).toBe(0);

    await fire(page, '#code', 'change', { value: 'ab3def9k' });
    expect(page.data.code).toBe('AB3DEF9K');
    expect(text(page)).toContain('AB3DEF9K');
    expect(text(page)).toContain('8 / 8');
    expect(page.querySelector('#next').instance.data.disabled).toBe(false);

    await fire(page, '#code', 'change', { value: 'ab3def9kx' });
    expect(page.data.code).toBe('AB3DEF9K');
  });

  test('without a bound identity: 去绑定 on 我的, then back to the same code', async () => {
    wx.__server.on('POST', '/api/v1/registration-codes/lookup', {
      status: 409,
      body: { error: { code: 'identity_required', message: '请先在“我的”中绑定本人身份信息（姓名和证件号码），再报名' } },
    });
    const page = await renderPage('register');
    await fire(page, '#code', 'change', { value: 'ab3def9k' });
    await tap(page, '#next');
    expect(wx.showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '请先绑定身份', confirmText: '去绑定' }));
    expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/mine/mine' });
    expect(wx.getStorageSync('after-bind')).toBe('/pages/register/register');
    // The code waits for the candidate's return.
    const again = await renderPage('register');
    expect(again.data.code).toBe('AB3DEF9K');
  });

  test('an unknown code shows the API message at the field', async () => {
    wx.__server.on('POST', '/api/v1/registration-codes/lookup', {
      status: 404,
      body: { error: { code: 'code_not_found', message: '报名码不存在或已失效', field: 'code', fields: [] } },
    });
    const page = await renderPage('register');
    await fire(page, '#code', 'change', { value: 'ZZZZZZZZ' });
    await tap(page, '#next');
    expect(page.data.step).toBe(0);
    expect(text(page)).toContain('⚠ 报名码不存在或已失效');
    expect(text(page)).toMatchSnapshot();
  });

  test('step 2 shows every field of the confirmation table, then creates the draft', async () => {
    wx.__server.on('POST', '/api/v1/registration-codes/lookup', (req) => {
      expect(req.data).toEqual({ code: 'AB3DEF9K' });
      return { status: 200, body: { plan: plan(), seats_left: 42, open: true, registration: null } };
    });
    wx.__server.on('POST', '/api/v1/registrations', { status: 201, body: registration({ id: 31 }) });
    const page = await renderPage('register');
    await fire(page, '#code', 'change', { value: 'ab3def9k' });
    await tap(page, '#next');
    const out = text(page);
    expect(out).toMatchSnapshot();
    [
      '评价计划编号 2501', '评价机构名称 广东岭南现代技师学院', '职业名称 人工智能训练师', '工种名称 无',
      '评价等级 二级/技师', '最大允许报名人数 60', '剩余名额 42', '评价开始日期 2025-11-13', '评价结束日期 2025-11-13',
      '报名截止日期 2025-11-13', '评价业务联系人 陈老师', '联系电话 020-12345678', '业务监管地 广东省（省本级）',
    ].forEach((line) => expect(out).toContain(line));

    await tap(page, '#prev');
    expect(page.data.step).toBe(0);
    await tap(page, '#next');
    await tap(page, '#confirm');
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/form/form?id=31' });
  });

  test('a closed plan cannot be continued', async () => {
    wx.__server.on('POST', '/api/v1/registration-codes/lookup', {
      status: 200,
      body: { plan: plan({ status: 'closed' }), seats_left: 0, open: false, registration: null },
    });
    const page = await renderPage('register');
    await fire(page, '#code', 'change', { value: 'ab3def9k' });
    await tap(page, '#next');
    expect(text(page)).toContain('暂不能报名');
    expect(page.querySelector('#confirm').instance.data.disabled).toBe(true);
  });
});
