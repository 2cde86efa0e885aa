const { renderPage, text, tap, fire } = require('./helpers/render');
const { baseRoutes, ME, list } = require('./helpers/api');

/** An intention as the API returns it. */
function intention(over) {
  return Object.assign(
    {
      id: 41,
      occupation: '养老护理员',
      level: 4,
      level_name: '四级/中级工',
      city: '广州市',
      preferred_time: '周末',
      phone_masked: '138****1234',
      note: '',
      contact_consent: true,
      consent_at: '2025-11-13T06:00:00Z',
      created_at: '2025-11-13T06:00:00Z',
    },
    over || {},
  );
}

function routes() {
  const server = baseRoutes(wx.__server);
  server.on('GET', '/api/v1/training-intentions', { status: 200, body: list([]) });
  return server;
}

/** Picks 养老护理员, 四级/中级工, 广州市. */
async function pick(page) {
  await fire(page, '#occupation', 'change', { value: 1 });
  await fire(page, '#level', 'change', { value: 3 });
  await fire(page, '#city', 'change', { value: 0 });
}

describe('培训意向登记', () => {
  test('the form: occupation catalogue, level, city, time, phone, note and the consent', async () => {
    routes();
    const page = await renderPage('training');
    const out = text(page);
    expect(out).toMatchSnapshot();
    expect(out).not.toContain('即将开放');
    expect(out).toContain('联系电话：‹留空将使用已绑定的手机号 138****1234›');
    expect(out).toContain('所选城市的培训机构可以看到您的姓名、联系电话和培训意向');
    expect(page.data.occupationNames).toEqual(['电工', '养老护理员']);
    expect(page.data.cityNames).toEqual(['广州市', '深圳市']);
  });

  test('required choices and the phone are checked before sending', async () => {
    routes();
    wx.__server.on('GET', '/api/v1/me', { status: 200, body: Object.assign({}, ME, { phone_masked: '' }) });
    const page = await renderPage('training');
    await tap(page, '#submit');
    const out = text(page);
    expect(out).toMatchSnapshot();
    expect(out).toContain('请选择职业');
    expect(out).toContain('请选择意向等级');
    expect(out).toContain('请选择培训城市');
    expect(out).toContain('⚠ 请填写手机号码，或使用微信手机号');
    expect(wx.__server.count('POST', '/api/v1/training-intentions')).toBe(0);
    await pick(page);
    expect(text(page)).not.toContain('请选择职业');
    await fire(page, '#phone', 'change', { value: '2345' });
    await tap(page, '#submit');
    expect(text(page)).toContain('⚠ 手机号码应为以1开头的11位数字');
  });

  test('"use my WeChat phone" binds it and leaves the field to it', async () => {
    routes();
    wx.__server.on('GET', '/api/v1/me', { status: 200, body: Object.assign({}, ME, { phone_masked: '' }) });
    wx.__server.on('POST', '/api/v1/me/phone', { status: 200, body: Object.assign({}, ME, { phone_masked: '139****0000' }) });
    const page = await renderPage('training');
    page.querySelector('#wx-phone').instance._phone({ code: 'pc-1' });
    await new Promise((r) => setTimeout(r, 10));
    expect(wx.__server.calls.find((c) => c.path === '/api/v1/me/phone').data).toEqual({ code: 'pc-1' });
    expect(text(page)).toContain('联系电话：‹留空将使用已绑定的手机号 139****0000›');
  });

  test('sends the intention with the consent, then lists it', async () => {
    const server = routes();
    server.on('POST', '/api/v1/training-intentions', (req) => {
      server.on('GET', '/api/v1/training-intentions', { status: 200, body: list([intention()]) });
      return { status: 201, body: intention({ contact_consent: req.data.contact_consent }) };
    });
    const page = await renderPage('training');
    await pick(page);
    await fire(page, '#preferred-time', 'change', { value: '周末' });
    await fire(page, '#consent', 'change', { value: true });
    await tap(page, '#submit');
    const post = server.calls.find((c) => c.method === 'POST' && c.path === '/api/v1/training-intentions');
    expect(post.data).toEqual({ occupation: '养老护理员', level: 4, city: '广州市', preferred_time: '周末', phone: '', note: '', contact_consent: true });
    expect(page.data.tab).toBe('mine');
    const out = text(page);
    expect(out).toMatchSnapshot();
    expect(out).toContain('养老护理员 · 四级/中级工');
    expect(out).toContain('机构联系 同意培训机构联系');
  });

  test('API field errors and conflicts are shown', async () => {
    const server = routes();
    server.on('POST', '/api/v1/training-intentions', {
      status: 400,
      body: { error: { code: 'city_invalid', message: '培训城市不在可选范围内，请从列表中选择', field: 'city' } },
    });
    const page = await renderPage('training');
    await pick(page);
    await tap(page, '#submit');
    expect(text(page)).toContain('培训城市不在可选范围内，请从列表中选择');
    server.on('POST', '/api/v1/training-intentions', {
      status: 409,
      body: { error: { code: 'intention_exists', message: '您已登记过相同职业、等级和城市的培训意向' } },
    });
    await fire(page, '#city', 'change', { value: 1 });
    await tap(page, '#submit');
    expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '您已登记过相同职业、等级和城市的培训意向' }));
  });

  test('withdrawing asks first; the list has empty and error states', async () => {
    const server = routes();
    server.on('GET', '/api/v1/training-intentions', { status: 200, body: list([intention()]) });
    server.on('DELETE', '/api/v1/training-intentions/41', () => {
      server.on('GET', '/api/v1/training-intentions', { status: 200, body: list([]) });
      return { status: 204 };
    });
    const page = await renderPage('training', { query: { tab: 'mine' } });
    wx.showModal.mockImplementationOnce((o) => o.success({ confirm: false, cancel: true }));
    await tap(page, '#withdraw-41');
    expect(server.count('DELETE', '/api/v1/training-intentions/41')).toBe(0);
    await tap(page, '#withdraw-41');
    expect(server.count('DELETE', '/api/v1/training-intentions/41')).toBe(1);
    expect(text(page)).toContain('暂无培训意向');

    server.on('GET', '/api/v1/training-intentions', { status: 503, body: {} });
    const failed = await renderPage('training', { query: { tab: 'mine' } });
    expect(text(failed)).toContain('服务暂时不可用，请稍后再试');
  });
});
