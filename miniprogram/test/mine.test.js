const { renderPage, text, tap, fire, flush } = require('./helpers/render');
const { baseRoutes, ME } = require('./helpers/api');

const NO_ID = { id: 7, has_identity: false, phone_masked: '', oa_bound: false, identity_locked: false };

describe('我的', () => {
  beforeEach(() => baseRoutes(wx.__server));

  test('signed in with a bound identity', async () => {
    const page = await renderPage('mine');
    const out = text(page);
    expect(out).toMatchSnapshot();
    expect(out).toContain('张三');
    expect(out).toContain('证件号码：440524********0014');
    expect(out).toContain('手机号码：138****1234');
  });

  test('sign-in failure shows the error state', async () => {
    wx.__server.on('POST', '/api/v1/auth/login', { status: 503, body: { error: { code: 'wechat_down', message: '微信服务暂不可用' } } });
    const page = await renderPage('mine');
    expect(text(page)).toContain('未登录');
    expect(text(page)).toContain('未能登录：微信服务暂不可用');
  });

  test('identity binding validates as the user types and derives gender and birth date', async () => {
    wx.__server.on('GET', '/api/v1/me', { status: 200, body: NO_ID });
    const page = await renderPage('mine');
    expect(text(page)).toMatchSnapshot();
    await fire(page, '#id-number', 'change', { value: '4405241880' });
    expect(text(page)).toContain('已输入 10 / 18 位');
    await fire(page, '#id-number', 'change', { value: '440524188001010015' });
    expect(text(page)).toContain('⚠ 证件号码校验位不正确');
    await fire(page, '#id-number', 'change', { value: '11010519491231002x' });
    expect(page.data.idErrors.id_number).toBe('');
    expect(text(page)).toContain('性别：女');
    expect(text(page)).toContain('出生日期：1949-12-31');
  });

  test('binding needs the privacy consent, then sends the identity', async () => {
    wx.__server.on('GET', '/api/v1/me', { status: 200, body: NO_ID });
    wx.__server.on('PUT', '/api/v1/me/identity', (req) => ({ status: 200, body: Object.assign({}, ME, { name: req.data.name }) }));
    const page = await renderPage('mine');
    await fire(page, '#id-name', 'change', { value: '李四' });
    await fire(page, '#id-number', 'change', { value: '11010519491231002X' });
    await tap(page, '#bind');
    expect(text(page)).toContain('请阅读并同意个人信息处理规则');
    expect(wx.__server.count('PUT', '/api/v1/me/identity')).toBe(0);
    await tap(page, '#consent');
    await tap(page, '#bind');
    const put = wx.__server.calls.find((c) => c.method === 'PUT');
    expect(put.data).toEqual({ name: '李四', id_type: '01', id_number: '11010519491231002X', privacy_consent: true, consent_version: '2026-01' });
    expect(text(page)).toContain('姓名：李四');
  });

  test('after 去绑定 from 报名码报名, binding goes back to the code', async () => {
    wx.__server.on('GET', '/api/v1/me', { status: 200, body: NO_ID });
    wx.__server.on('PUT', '/api/v1/me/identity', (req) => ({ status: 200, body: Object.assign({}, ME, { name: req.data.name }) }));
    wx.setStorageSync('after-bind', '/pages/register/register');
    const page = await renderPage('mine');
    await fire(page, '#id-name', 'change', { value: '李四' });
    await fire(page, '#id-number', 'change', { value: '11010519491231002X' });
    await tap(page, '#consent');
    await tap(page, '#bind');
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/register/register' });
    expect(wx.getStorageSync('after-bind')).toBe('');
  });

  test('other document types: passport and Hong Kong residence permit', async () => {
    wx.__server.on('GET', '/api/v1/me', { status: 200, body: NO_ID });
    const page = await renderPage('mine');
    await fire(page, '#id-type', 'change', { value: 5 });
    await fire(page, '#id-number', 'change', { value: 'E1234' });
    expect(page.data.idErrors.id_number).toBe('');
    expect(page.data.derived).toBe(false);
    await fire(page, '#id-type', 'change', { value: 1 });
    await fire(page, '#id-number', 'change', { value: '810000199408230021' });
    expect(page.data.idErrors.id_number).toBe('');
    await fire(page, '#id-number', 'change', { value: '440524188001010014' });
    expect(page.data.idErrors.id_number).toContain('810000');
  });

  test('an API field error lands at the field', async () => {
    wx.__server.on('GET', '/api/v1/me', { status: 200, body: NO_ID });
    wx.__server.on('PUT', '/api/v1/me/identity', {
      status: 400,
      body: { error: { code: 'invalid', message: '填写有误', field: 'id_number', fields: [{ field: 'id_number', code: 'id_taken', message: '该证件号码已被其他微信账号绑定' }] } },
    });
    const page = await renderPage('mine');
    await fire(page, '#id-name', 'change', { value: '李四' });
    await fire(page, '#id-number', 'change', { value: '11010519491231002X' });
    await tap(page, '#consent');
    await tap(page, '#bind');
    expect(text(page)).toContain('⚠ 该证件号码已被其他微信账号绑定');
  });

  test('phone via getPhoneNumber and the official-account bind code', async () => {
    wx.__server.on('GET', '/api/v1/me', { status: 200, body: Object.assign({}, ME, { phone_masked: '' }) });
    wx.__server.on('POST', '/api/v1/me/phone', (req) => ({ status: 200, body: Object.assign({}, ME, { phone_masked: req.data.code === 'pc-1' ? '139****0000' : '' }) }));
    wx.__server.on('POST', '/api/v1/me/oa-bind-code', { status: 200, body: { code: '123456', expires_at: '2025-11-02T02:10:00Z' } });
    const page = await renderPage('mine');
    expect(text(page)).toContain('手机号码：未绑定');
    page.querySelector('#phone').instance._phone({ code: 'pc-1' });
    await new Promise((r) => setTimeout(r, 10));
    expect(text(page)).toContain('手机号码：139****0000');
    await tap(page, '#oa');
    expect(text(page)).toContain('123456');
    expect(text(page)).toContain('2025-11-02 10:10 前有效');
  });
});

describe('我的 › personal data rights', () => {
  beforeEach(() => baseRoutes(wx.__server));

  test('导出我的数据 downloads the zip with the token and sends it to a chat', async () => {
    wx.__server.on('GET', '/api/v1/me/export', { status: 200, body: 'PK-zip-bytes' });
    const page = await renderPage('mine');
    expect(text(page)).toContain('导出我的数据');
    await tap(page, '#export-data');
    await flush(12);
    const call = wx.downloadFile.mock.calls[0][0];
    expect(call.url).toBe('http://127.0.0.1:8080/api/v1/me/export?format=zip');
    expect(call.header.Authorization).toBe('Bearer tok-1');
    expect(wx.shareFileMessage).toHaveBeenCalledWith(expect.objectContaining({ fileName: '我的数据.zip' }));
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已发送' }));
  });

  test('导出我的数据 past the daily limit says so in Chinese', async () => {
    wx.__server.on('GET', '/api/v1/me/export', {
      status: 429, body: { error: { code: 'export_rate_limited', message: '每天最多导出10次，请明天再试' } },
    });
    const page = await renderPage('mine');
    await tap(page, '#export-data');
    await flush(12);
    expect(wx.shareFileMessage).not.toHaveBeenCalled();
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '每天最多导出10次，请明天再试' }));
  });

  test('注销账号 asks first, deletes, forgets the session and starts over', async () => {
    wx.__server.on('DELETE', '/api/v1/me', { status: 200, body: { deleted_registrations: 1, kept: [], kept_notice: '', files_removed: 2 } });
    wx.showModal.mockImplementationOnce((o) => o.success({ confirm: false, cancel: true }));
    const page = await renderPage('mine');
    await tap(page, '#delete-account');
    await flush(6);
    expect(wx.__server.count('DELETE', '/api/v1/me')).toBe(0); // cancelled: nothing sent
    await tap(page, '#delete-account');
    await flush(12);
    const del = wx.__server.calls.find((c) => c.method === 'DELETE');
    expect(del.data).toEqual({ confirm: true });
    expect(wx.showModal.mock.calls[0][0].content).toContain('无法恢复');
    expect(wx.getStorageSync('skillcert.session')).toBe('');
    expect(wx.reLaunch).toHaveBeenCalledWith({ url: '/pages/index/index' });
  });

  test('注销账号 refused while a registration is in review shows which', async () => {
    wx.__server.on('DELETE', '/api/v1/me', {
      status: 409, body: { error: { code: 'account_in_use', message: '以下报名正在办理中，暂不能注销账号：计划2501（待审核）。' } },
    });
    const page = await renderPage('mine');
    await tap(page, '#delete-account');
    await flush(12);
    const last = wx.showModal.mock.calls[wx.showModal.mock.calls.length - 1][0];
    expect(last.title).toBe('暂不能注销');
    expect(last.content).toContain('计划2501（待审核）');
    expect(wx.reLaunch).not.toHaveBeenCalled();
  });
});
