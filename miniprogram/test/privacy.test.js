/**
 * The privacy guide (用户隐私保护指引): our popup answers wx.onNeedPrivacyAuthorization
 * (agree through open-type="agreePrivacyAuthorization", or decline), opens by itself
 * when wx.getPrivacySetting says agreement is needed, links to the full text, and a
 * declined guide makes the feature say why instead of failing silently. PRIVACY.md
 * names every personal-information API the code calls.
 */
const fs = require('fs');
const path = require('path');
const { renderPage, text, tap, fire, flush, find } = require('./helpers/render');
const { baseRoutes, META, registration, list } = require('./helpers/api');

const SRC = path.resolve(__dirname, '../src');

function routes() {
  const server = baseRoutes(wx.__server);
  server.on('GET', '/api/v1/meta', { status: 200, body: META });
  server.on('GET', '/api/v1/registrations', { status: 200, body: list([registration()]) });
  server.on('GET', '/api/v1/feedback', { status: 200, body: list([]) });
  return server;
}

/** Renders the feedback page with WeChat's privacy hooks mocked. */
async function feedbackPage(needAuthorization) {
  routes();
  wx.getPrivacySetting = jest.fn((o) => o.success({ needAuthorization, privacyContractName: '《skillcert用户隐私保护指引》' }));
  wx.onNeedPrivacyAuthorization = jest.fn();
  wx.openPrivacyContract = jest.fn((o) => o.success && o.success({}));
  const page = await renderPage('feedback', { expose: ['services/privacy'] });
  page.modules['services/privacy'].install();
  const handler = wx.onNeedPrivacyAuthorization.mock.calls[0][0];
  return { page, handler };
}

describe('privacy guide popup', () => {
  test('opens by itself when getPrivacySetting says agreement is needed; agreeing closes it', async () => {
    const { page } = await feedbackPage(true);
    expect(wx.getPrivacySetting).toHaveBeenCalled();
    const out = text(page);
    expect(out).toContain('【弹出层】');
    expect(out).toContain('用户隐私保护指引');
    expect(out).toContain('手机号：用于报名联系');
    expect(out).toContain('选中的照片或文件');
    expect(out).toContain('“上传反馈图片、使用微信手机号”');
    const agree = find(page, '#privacy-popup >>> #privacy-agree');
    expect(agree.instance.data.openType).toBe('agreePrivacyAuthorization');
    // The full text opens in WeChat's own viewer.
    await tap(page, '#privacy-popup >>> #privacy-contract');
    expect(wx.openPrivacyContract).toHaveBeenCalledTimes(1);
    agree.instance._agree();
    await flush();
    expect(text(page)).not.toContain('【弹出层】');
  });

  test('stays closed when the guide was already agreed to', async () => {
    const { page } = await feedbackPage(false);
    expect(wx.getPrivacySetting).toHaveBeenCalled();
    expect(text(page)).not.toContain('用户隐私保护指引');
  });

  test('agree: WeChat resolve gets the agree button, and the pending API call goes on', async () => {
    const { page, handler } = await feedbackPage(false);
    const resolve = jest.fn();
    handler(resolve, { referrer: 'chooseMedia' });
    await flush();
    expect(text(page)).toContain('用户隐私保护指引');
    find(page, '#privacy-popup >>> #privacy-agree').instance._agree();
    await flush();
    expect(resolve).toHaveBeenCalledWith({ buttonId: 'privacy-agree', event: 'agree' });
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(text(page)).not.toContain('【弹出层】');
  });

  test('decline: WeChat resolve gets disagree, and the feature says why it cannot go on', async () => {
    const { page, handler } = await feedbackPage(false);
    // What WeChat does: the photo picker needs the agreement, asks, and fails when declined.
    wx.chooseMedia = jest.fn((o) => {
      handler((/** @type {any} */ r) => {
        if (r.event === 'agree') o.success({ tempFiles: [] });
        else o.fail({ errno: 104, errMsg: 'chooseMedia:fail privacy permission is not authorized' });
      }, { referrer: 'chooseMedia' });
    });
    await tap(page, '#add-image');
    expect(text(page)).toContain('用户隐私保护指引');
    await tap(page, '#privacy-popup >>> #privacy-decline');
    const out = text(page);
    expect(out).not.toContain('【弹出层】');
    expect(out).toContain('您未同意《用户隐私保护指引》，暂时无法使用此功能');
    expect(page.data.images).toEqual([]);
  });

  test('a declined phone number button explains itself', async () => {
    routes();
    wx.__server.on('GET', '/api/v1/me', { status: 200, body: { id: 1, identity: null, phone_masked: '' } });
    const page = await renderPage('training');
    await fire(page, '#wx-phone', 'getphonenumber', { errno: 104, errMsg: 'getPhoneNumber:fail privacy permission is not authorized' });
    expect(wx.showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '需要您同意隐私保护指引' }));
  });
});

describe('PRIVACY.md matches what the code collects', () => {
  /** Every source file of the mini-program (not the npm copy). */
  function sources(dir = SRC) {
    /** @type {string[]} */
    let out = [];
    fs.readdirSync(dir, { withFileTypes: true }).forEach((d) => {
      if (d.name === 'miniprogram_npm') return;
      const p = path.join(dir, d.name);
      if (d.isDirectory()) out = out.concat(sources(p));
      else if (/\.(js|wxml)$/.test(d.name)) out.push(fs.readFileSync(p, 'utf8'));
    });
    return out.join('\n');
  }

  // Each personal-information API the platform lists, and the words the guide uses for it.
  const APIS = {
    'open-type="getPhoneNumber"': '手机号',
    'wx.chooseMedia': '选中的照片',
    'wx.chooseMessageFile': '选中的文件',
    'wx.chooseImage': '选中的照片',
    'wx.setClipboardData': '剪切板',
    'wx.getClipboardData': '剪切板',
    'wx.saveImageToPhotosAlbum': '相册（仅写入）',
    'wx.requestFacialVerify': '人脸',
    'wx.getLocation': '位置信息',
    'wx.chooseLocation': '位置信息',
    'wx.getUserProfile': '微信昵称、头像',
    'wx.chooseAddress': '地址',
    'wx.startRecord': '麦克风',
    'wx.createCameraContext': '摄像头',
  };
  const guide = fs.readFileSync(path.resolve(__dirname, '../PRIVACY.md'), 'utf8');
  const code = sources();
  /** A call like `wx.chooseMedia(` or `w.requestFacialVerify(` (the wx object passed in). */
  const calls = (/** @type {string} */ api) => (api.startsWith('wx.') ? code.includes(`.${api.slice(3)}(`) : code.includes(api));

  test.each(Object.keys(APIS))('%s', (api) => {
    if (calls(api)) expect(guide).toContain(APIS[api]);
    else expect(guide).not.toContain(`\`${api}\``);
  });

  test('the guide names the APIs the code calls', () => {
    const called = Object.keys(APIS).filter(calls);
    expect(called.length).toBeGreaterThan(3);
    called.forEach((api) => expect(guide).toContain(`\`${api}\``));
  });
});
