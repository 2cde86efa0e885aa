const { renderPage, text, tap, fire, flush } = require('./helpers/render');
const { baseRoutes, ME } = require('./helpers/api');

const UNVERIFIED = Object.assign({}, ME, { verify_state: 'unverified', verify_state_name: '未核验', identity_locked: false });
const NO_ID = { id: 7, has_identity: false, verify_state: 'unverified', verify_state_name: '未核验', phone_masked: '', oa_bound: false, identity_locked: false };
const VERIFIED = Object.assign({}, ME, { verified_at: '2026-03-10T02:00:00Z', verify_method: 'wechat_face' });

/** wx.requestFacialVerify as WeChat runs it: the scan ends, success or fail. */
function facial(ok = true) {
  /** @type {any} */ (wx).requestFacialVerify = jest.fn((o) => setTimeout(() => (ok ? o.success({ errCode: 0 }) : o.fail({ errCode: 90004 })), 0));
}

describe('实名核验', () => {
  beforeEach(() => {
    baseRoutes(wx.__server);
    facial(true);
  });

  test('verifies the bound identity: start, scan, then the server says how it went', async () => {
    wx.__server.on('GET', '/api/v1/me', { status: 200, body: UNVERIFIED });
    wx.__server.on('POST', '/api/v1/me/face-verification', { status: 200, body: { verify_id: 'fv_1', expires_at: '2026-03-10T02:10:00Z', claim: false } });
    wx.__server.on('POST', '/api/v1/me/face-verification/result', (req) => ({
      status: 200,
      body: { result: req.data.verify_id === 'fv_1' ? 'passed' : 'failed', result_name: '核验通过', message: '实名核验通过，您的身份信息已锁定', claimed: false, me: VERIFIED },
    }));
    const page = await renderPage('verify');
    expect(text(page)).toContain('证件号码：440524********0014');
    await tap(page, '#start');
    await flush();
    const start = wx.__server.calls.find((c) => c.path === '/api/v1/me/face-verification');
    expect(start.data).toEqual({});
    expect(/** @type {any} */ (wx).requestFacialVerify).toHaveBeenCalledWith(expect.objectContaining({ verifyId: 'fv_1' }));
    expect(wx.__server.count('POST', '/api/v1/me/face-verification/result')).toBe(1);
    const out = text(page);
    expect(out).toContain('实名核验通过，您的身份信息已锁定');
    expect(out).toContain('核验状态：已核验');
    expect(out).toContain('核验时间：2026-03-10 10:00');
  });

  test('a cancelled scan still asks the server, which decides', async () => {
    facial(false);
    wx.__server.on('GET', '/api/v1/me', { status: 200, body: UNVERIFIED });
    wx.__server.on('POST', '/api/v1/me/face-verification', { status: 200, body: { verify_id: 'fv_2', expires_at: '', claim: false } });
    wx.__server.on('POST', '/api/v1/me/face-verification/result', { status: 200, body: { result: 'not_done', message: '人脸核验未完成，可重新发起核验', me: UNVERIFIED } });
    const page = await renderPage('verify');
    await tap(page, '#start');
    await flush();
    expect(text(page)).toContain('人脸核验未完成，可重新发起核验');
    expect(text(page)).toContain('开始人脸核验');
  });

  test('the daily limit answers in Chinese', async () => {
    wx.__server.on('GET', '/api/v1/me', { status: 200, body: UNVERIFIED });
    wx.__server.on('POST', '/api/v1/me/face-verification', { status: 429, body: { error: { code: 'face_rate_limited', message: '今日人脸核验次数已达上限（每天5次），请明天再试', field: '' } } });
    const page = await renderPage('verify');
    await tap(page, '#start');
    await flush();
    expect(text(page)).toContain('今日人脸核验次数已达上限');
    expect(/** @type {any} */ (wx).requestFacialVerify).not.toHaveBeenCalled();
  });

  test('这是我的证件号码: from 我的, the taken number is verified and taken back', async () => {
    wx.__server.on('GET', '/api/v1/me', { status: 200, body: NO_ID });
    wx.__server.on('PUT', '/api/v1/me/identity', {
      status: 409,
      body: { error: { code: 'id_number_taken', message: '该证件号码已绑定其他微信账号，不能重复绑定。', field: '' } },
    });
    const mine = await renderPage('mine');
    await fire(mine, '#id-name', 'change', { value: '张三' });
    await fire(mine, '#id-number', 'change', { value: '11010519491231002X' });
    await tap(mine, '#consent');
    await tap(mine, '#bind');
    expect(text(mine)).toContain('该证件号码已绑定其他微信账号');
    await tap(mine, '#claim-own');
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/verify/verify' });

    // The verification page opens with the identity handed over (never in the URL).
    wx.__server.on('POST', '/api/v1/me/face-verification', { status: 200, body: { verify_id: 'fv_3', expires_at: '', claim: true } });
    wx.__server.on('POST', '/api/v1/me/face-verification/result', {
      status: 200,
      body: { result: 'passed', message: '实名核验通过，该证件号码已绑定到您的账号，原绑定的账号已解除绑定', claimed: true, me: VERIFIED },
    });
    const page = await renderPage('verify');
    expect(page.data.mode).toBe('claim');
    expect(page.data.form).toEqual({ name: '张三', id_number: '11010519491231002X', consent: false });
    await tap(page, '#claim');
    expect(text(page)).toContain('请阅读并同意个人信息处理规则');
    expect(wx.__server.count('POST', '/api/v1/me/face-verification')).toBe(0);
    await tap(page, '#claim-consent');
    await tap(page, '#claim');
    await flush();
    const start = wx.__server.calls.find((c) => c.path === '/api/v1/me/face-verification');
    expect(start.data).toEqual({ name: '张三', id_type: '01', id_number: '11010519491231002X', privacy_consent: true, consent_version: '2026-01' });
    expect(text(page)).toContain('原绑定的账号已解除绑定');
    expect(text(page)).toContain('核验状态：已核验');
  });

  test('a number verified by someone else is refused with the reason', async () => {
    wx.__server.on('GET', '/api/v1/me', { status: 200, body: NO_ID });
    wx.__server.on('POST', '/api/v1/me/face-verification', {
      status: 409,
      body: { error: { code: 'id_number_verified', message: '该证件号码已由其他微信账号完成实名核验。', field: '' } },
    });
    const page = await renderPage('verify', { query: { claim: '1' } });
    await fire(page, '#claim-name', 'change', { value: '张三' });
    await fire(page, '#claim-number', 'change', { value: '11010519491231002X' });
    await tap(page, '#claim-consent');
    await tap(page, '#claim');
    await flush();
    expect(text(page)).toContain('已由其他微信账号完成实名核验');
  });
});
