/**
 * The form, plans and register pages with the real tdesign-miniprogram components
 * (test/helpers/tdesign.js), driven through the components' own native nodes: a
 * property tdesign does not have is not shown or not honoured, an event name tdesign
 * never fires leaves the page unmoved, and these tests fail.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { baseRoutes, plan, registration, list } = require('./helpers/api');
const { renderReal, host, typeInto, press, shown } = require('./helpers/tdesign');
const { flush } = require('./helpers/render');

// Loading tdesign through babel is slow on a busy machine.
jest.setTimeout(60000);

describe('报名码报名 with the real tdesign components', () => {
  beforeEach(() => baseRoutes(wx.__server));

  test('typing goes through t-input change; t-button honours disabled and fires tap', async () => {
    wx.__server.on('POST', '/api/v1/registration-codes/lookup', { status: 200, body: { plan: plan(), seats_left: 42, open: true, registration: null } });
    wx.__server.on('POST', '/api/v1/registrations', { status: 201, body: registration({ id: 31 }) });
    const page = await renderReal('register');
    expect(shown(page, '#code')).toContain('* 报名码');
    expect(host(page, '#code').data.placeholder).toBe('请输入报名码');
    expect(host(page, '#code').data.maxlength).toBe(8);

    await typeInto(page, '#code', 'ab3d');
    expect(page.data.code).toBe('AB3D');
    expect(host(page, '#next').data.disabled).toBe(true);
    await press(page, '#next', 'button');
    expect(wx.__server.count('POST', '/api/v1/registration-codes/lookup')).toBe(0);

    await typeInto(page, '#code', 'ab3def9k');
    expect(page.data.code).toBe('AB3DEF9K');
    expect(host(page, '#code').data.value).toBe('AB3DEF9K');
    await press(page, '#next', 'button');
    expect(wx.__server.count('POST', '/api/v1/registration-codes/lookup')).toBe(1);
    expect(page.data.step).toBe(1);

    await press(page, '#confirm', 'button');
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/form/form?id=31' });
  });

  test('an API error reaches t-input as status and tips', async () => {
    wx.__server.on('POST', '/api/v1/registration-codes/lookup', {
      status: 404,
      body: { error: { code: 'code_not_found', message: '报名码不存在或已失效', field: 'code', fields: [] } },
    });
    const page = await renderReal('register');
    await typeInto(page, '#code', 'zzzzzzzz');
    await press(page, '#next', 'button');
    expect(host(page, '#code').data.status).toBe('error');
    expect(shown(page, '#code')).toContain('报名码不存在或已失效');
  });

  test('the harness sees a wrong event name: bind:input on t-input never fires', async () => {
    // A copy of the page whose t-input listens to an event tdesign does not fire.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'register-'));
    const src = path.resolve(__dirname, '../src/pages/register');
    for (const f of fs.readdirSync(src)) fs.copyFileSync(path.join(src, f), path.join(dir, f));
    const wxml = path.join(dir, 'register.wxml');
    fs.writeFileSync(wxml, fs.readFileSync(wxml, 'utf8').replace('bind:change="onCode"', 'bind:input="onCode"'));
    const js = path.join(dir, 'register.js');
    // The copy requires the page's modules from where they are.
    fs.writeFileSync(js, fs.readFileSync(js, 'utf8').replace(/require\('(\.\.\/)+/g, `require('${path.resolve(__dirname, '../src')}/`));
    const json = path.join(dir, 'register.json');
    const usingOf = JSON.parse(fs.readFileSync(json, 'utf8'));
    fs.writeFileSync(json, JSON.stringify(usingOf));
    const page = await renderReal(path.join(dir, 'register'));
    await typeInto(page, '#code', 'ab3def9k');
    expect(page.data.code).toBe('');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('评价计划查询 with the real tdesign components', () => {
  beforeEach(() => baseRoutes(wx.__server));

  test('a tap on a t-tabs tab changes the level; 联系评价机构 is a t-button tap', async () => {
    wx.__server.on('GET', '/api/v1/plans', { status: 200, body: list([plan({ id: 1, plan_name: '计划1', contact_phone: '020-12345678' })], 1) });
    const page = await renderReal('plans');
    expect(shown(page, '#levels')).toContain('三级');
    // Tabs: 全部 一级 二级 三级 …: the fourth is 三级.
    await press(page, '#levels', 'view', 't-tabs__item--top', 3);
    expect(page.data.level).toBe('3');
    const last = wx.__server.calls.filter((c) => c.path.startsWith('/api/v1/plans')).pop();
    expect(last.path).toContain('level=3');

    // 联系评价机构 catches its tap: the call starts and the card does not open.
    await press(page, '#contact-1', 'button');
    expect(wx.makePhoneCall).toHaveBeenCalledWith({ phoneNumber: '020-12345678' });
    expect(wx.navigateTo).not.toHaveBeenCalled();
  });
});

describe('考生报名 form with the real tdesign components', () => {
  const REG = '/api/v1/registrations/11';
  /** @param {object} [over] */
  function formRoutes(over) {
    const server = baseRoutes(wx.__server);
    let current = registration(over);
    server.on('GET', REG, () => ({ status: 200, body: current }));
    server.on('PUT', REG, (req) => {
      current = Object.assign({}, current, req.data);
      return { status: 200, body: current };
    });
    server.on('GET', `${REG}/checklist`, { status: 200, body: { items: [{ key: 'diploma', name: '毕业证', required: true, satisfied: false, hint: '' }] } });
    server.on('GET', `${REG}/attachments`, { status: 200, body: { items: [] } });
    return server;
  }

  test('t-radio, t-input and t-checkbox reach the page; t-dialog confirms with 知道了', async () => {
    formRoutes({ plan: plan({ level: 5, level_name: '五级/初级工' }) });
    wx.__server.on('PUT', REG, (req) => ({
      status: 200,
      body: registration(Object.assign({}, req.data, {
        warnings: [{ code: 'employer_mismatch', message: '检测所在单位信息与广东省人社系统中的工作单位信息不符，请确认并上传相关自证材料。' }],
      })),
    }));
    const page = await renderReal('form', { query: { id: '11' } });
    expect(shown(page, '#basis-level5')).toContain('报名五级');

    await press(page, '#basis-level5', 'view');
    expect(page.data.form.basis).toBe('level5');
    expect(host(page, '#basis-level5').data.checked).toBe(true);
    // 报名五级 locks 所在单位 at 无: the real input is disabled.
    expect(host(page, '#employer').data.disabled).toBe(true);

    await typeInto(page, '#phone', '13800138000');
    expect(page.data.form.phone).toBe('13800138000');
    await typeInto(page, '#phone', '1380');
    expect(host(page, '#phone').data.status).toBe('error');
    await typeInto(page, '#phone', '13800138000');
    expect(host(page, '#phone').data.status).toBe('default');

    expect(shown(page, '#commit')).toContain('本人已阅读并承诺以上内容');
    await press(page, '#commit', 'view');
    expect(page.data.form.commitment_accepted).toBe(true);

    await press(page, '#save', 'button');
    await flush(12);
    expect(host(page, '#warning').data.visible).toBe(true);
    expect(shown(page, '#warning')).toContain('检测所在单位信息与广东省人社系统中的工作单位信息不符');
    // The dialog's buttons come from its confirmBtn observer, which j-component does
    // not run for a value set at creation; tdesign's own button handler is called
    // instead, and it fires the event the page must listen to (confirm).
    host(page, '#warning').instance.onTplButtonTap({ type: 'tap', target: { dataset: { type: 'confirm' } } });
    await flush();
    expect(page.data.warning.visible).toBe(false);
  });
});
