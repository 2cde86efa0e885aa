/** The client library: request wrapper, sign-in, upload and consent. */

/** Fresh service modules per test (they keep in-flight state). */
function load() {
  /** @type {any} */
  let mods;
  jest.isolateModules(() => {
    mods = {
      request: require('../src/services/request'),
      api: require('../src/services/api'),
      auth: require('../src/services/auth'),
      errors: require('../src/services/errors'),
      upload: require('../src/services/upload'),
      subscribe: require('../src/services/subscribe'),
      config: require('../src/config'),
    };
  });
  return mods;
}

const LOGIN = '/api/v1/auth/login';

/** Login answers tok-1, tok-2, … */
function loginRoute() {
  wx.__server.on('POST', LOGIN, () => ({
    status: 200,
    body: { token: `tok-${wx.__server.count('POST', LOGIN)}`, expires_at: '2099-01-01T00:00:00Z', candidate: { id: 1 } },
  }));
}

describe('request wrapper', () => {
  beforeEach(loginRoute);

  test('signs in silently, then sends the Bearer token', async () => {
    const { api } = load();
    wx.__server.on('GET', '/api/v1/me', (req) => ({ status: 200, body: { auth: req.header.Authorization } }));
    await expect(api.me()).resolves.toEqual({ auth: 'Bearer tok-1' });
    await api.me();
    expect(wx.login).toHaveBeenCalledTimes(1);
    expect(wx.__server.calls[0].data).toEqual({ code: 'wx-code' });
  });

  test('a 401 re-logs in and retries exactly once', async () => {
    const { api } = load();
    wx.__server.on('GET', '/api/v1/me', (req) =>
      req.header.Authorization === 'Bearer tok-1'
        ? { status: 401, body: { error: { code: 'unauthorized', message: '登录已过期' } } }
        : { status: 200, body: { ok: req.header.Authorization } },
    );
    await expect(api.me()).resolves.toEqual({ ok: 'Bearer tok-2' });
    expect(wx.__server.count('GET', '/api/v1/me')).toBe(2);
    expect(wx.__server.count('POST', LOGIN)).toBe(2);
  });

  test('a second 401 is an error, not a loop', async () => {
    const { api, errors } = load();
    wx.__server.on('GET', '/api/v1/me', { status: 401, body: { error: { code: 'unauthorized', message: '请先登录' } } });
    const err = await api.me().catch((e) => e);
    expect(err).toBeInstanceOf(errors.ApiError);
    expect(err.status).toBe(401);
    expect(wx.__server.count('GET', '/api/v1/me')).toBe(2);
  });

  test('concurrent 401s share one re-login', async () => {
    const { api } = load();
    wx.__server.on('GET', /^\/api\/v1\/registrations\/\d+$/, (req) =>
      req.header.Authorization === 'Bearer tok-1' ? { status: 401, body: {} } : { status: 200, body: {} },
    );
    await api.me().catch(() => {}); // first sign-in (tok-1); /me is unrouted (404)
    await Promise.all([api.registration(1), api.registration(2), api.registration(3)]);
    expect(wx.__server.count('POST', LOGIN)).toBe(2);
  });

  test('an expired stored session signs in again before the call', async () => {
    const { api } = load();
    wx.setStorageSync('skillcert.session', { token: 'old', expires_at: '2000-01-01T00:00:00Z', candidate: {} });
    wx.__server.on('GET', '/api/v1/me', (req) => ({ status: 200, body: { auth: req.header.Authorization } }));
    await expect(api.me()).resolves.toEqual({ auth: 'Bearer tok-1' });
  });

  test('the dev login override sends dev-<name> instead of wx.login', async () => {
    const { api, config } = load();
    config.devLoginName = 'alice';
    wx.__server.on('GET', '/api/v1/me', { status: 200, body: {} });
    await api.me();
    expect(wx.login).not.toHaveBeenCalled();
    expect(wx.__server.calls[0].data).toEqual({ code: 'dev-alice' });
  });

  test('maps the error shape: message, code, field errors and extra keys', async () => {
    const { api, errors } = load();
    wx.__server.on('PUT', '/api/v1/registrations/1', {
      status: 400,
      body: {
        error: { code: 'invalid', message: '填写有误', field: 'phone', fields: [{ field: 'phone', code: 'invalid_phone', message: '手机号码格式不正确' }, { field: 'employer', code: 'too_long', message: '所在单位过长' }] },
        registration: { id: 1 },
      },
    });
    const err = await api.saveRegistration(1, { phone: '1' }).catch((e) => e);
    expect(err.message).toBe('填写有误');
    expect(err.code).toBe('invalid');
    expect(errors.fieldErrors(err)).toEqual({ phone: '手机号码格式不正确', employer: '所在单位过长' });
    expect(err.body.registration).toEqual({ id: 1 });
  });

  test('a body without the error shape still gets a Chinese message', async () => {
    const { api, errors } = load();
    wx.__server.on('GET', '/api/v1/certificates', { status: 429, body: 'slow down' });
    const err = await api.certificates().catch((e) => e);
    expect(errors.messageOf(err)).toBe('操作过于频繁，请稍后再试');
    expect(errors.messageOf(new Error('x'))).toBe('服务异常，请稍后再试');
  });

  test('network failures are retried for GET and PUT but not for POST', async () => {
    const { api } = load();
    let gets = 0;
    wx.__server.on('GET', '/api/v1/certificates', () => (++gets < 3 ? { network: true } : { status: 200, body: { items: [] } }));
    await expect(api.certificates()).resolves.toEqual({ items: [] });
    expect(gets).toBe(3);

    wx.__server.on('PUT', '/api/v1/registrations/1', { network: true });
    const putErr = await api.saveRegistration(1, {}).catch((e) => e);
    expect(putErr.isNetwork).toBe(true);
    expect(wx.__server.count('PUT', '/api/v1/registrations/1')).toBe(3);

    wx.__server.on('POST', '/api/v1/registrations', { network: true });
    const postErr = await api.createRegistration('RGZN25GD').catch((e) => e);
    expect(postErr.message).toBe('网络连接失败，请检查网络后重试');
    expect(wx.__server.count('POST', '/api/v1/registrations')).toBe(1);
  });

  test('a submit is sent again after a network failure or a dead replica (502/504), as it is idempotent', async () => {
    const { api } = load();
    let n = 0;
    const answers = [{ network: true }, { status: 502, body: '<html>502 Bad Gateway</html>' }, { status: 200, body: { id: 1, status: 'submitted' } }];
    wx.__server.on('POST', '/api/v1/registrations/1/submit', () => answers[n++]);
    await expect(api.submitRegistration(1)).resolves.toEqual({ id: 1, status: 'submitted' });
    expect(n).toBe(3);

    // Other POSTs are not repeated: the balancer's 502 is an error at once.
    wx.__server.on('POST', '/api/v1/registrations', { status: 502, body: '<html>502 Bad Gateway</html>' });
    const err = await api.createRegistration('RGZN25GD').catch((e) => e);
    expect(err.status).toBe(502);
    expect(wx.__server.count('POST', '/api/v1/registrations')).toBe(1);

    // The API's own 503 (busy, with its error shape) is not a gateway failure.
    const { isGatewayFailure } = require('../src/services/transport');
    expect(isGatewayFailure({ statusCode: 503, data: { error: { code: 'busy' } } })).toBe(false);
    expect(isGatewayFailure({ statusCode: 503, data: '<html>' })).toBe(true);
    expect(isGatewayFailure({ statusCode: 504, data: '' })).toBe(true);
    expect(isGatewayFailure({ statusCode: 500, data: '' })).toBe(false);
  });

  test('a double tap sends one POST and both callers get its answer', async () => {
    const { api } = load();
    wx.__server.on('POST', '/api/v1/registrations/1/submit', { status: 200, body: { id: 1, status: 'submitted' } });
    const [a, b] = await Promise.all([api.submitRegistration(1), api.submitRegistration(1)]);
    expect(a).toEqual(b);
    expect(wx.__server.count('POST', '/api/v1/registrations/1/submit')).toBe(1);
    await api.submitRegistration(1); // once settled, a later tap is a new request
    expect(wx.__server.count('POST', '/api/v1/registrations/1/submit')).toBe(2);
  });

  test('a busy submit (503 with Retry-After) is retried after the wait, with backoff and jitter, showing the message', async () => {
    jest.useFakeTimers();
    try {
      const { api } = load();
      const busy = {
        status: 503,
        body: { error: { code: 'busy', message: '报名人数较多，请稍后重试' }, retry_after_seconds: 2 },
      };
      let n = 0;
      wx.__server.on('POST', '/api/v1/registrations/7/submit', () =>
        ++n <= 2 ? busy : { status: 200, body: { id: 7, status: 'submitted' } },
      );
      const random = jest.spyOn(Math, 'random').mockReturnValue(0.5); // jitter: half of the spread
      let done = false;
      const p = api.submitRegistration(7).then((v) => {
        done = true;
        return v;
      });
      await jest.advanceTimersByTimeAsync(2499); // 2 s × 1.25
      expect(wx.__server.count('POST', '/api/v1/registrations/7/submit')).toBe(1);
      expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: expect.stringContaining('报名人数较多，请稍后重试') }));
      await jest.advanceTimersByTimeAsync(1);
      expect(wx.__server.count('POST', '/api/v1/registrations/7/submit')).toBe(2);
      await jest.advanceTimersByTimeAsync(4999); // then 4 s × 1.25: backoff
      expect(wx.__server.count('POST', '/api/v1/registrations/7/submit')).toBe(2);
      await jest.advanceTimersByTimeAsync(1);
      await expect(p).resolves.toEqual({ id: 7, status: 'submitted' });
      expect(done).toBe(true);
      random.mockRestore();
      expect(wx.__server.count('POST', '/api/v1/registrations/7/submit')).toBe(3);
    } finally {
      jest.useRealTimers();
    }
  });

  test('busy answers: three retries at most, long waits and other errors not retried, jitter spreads clients', async () => {
    const { busyWait, BUSY_RETRIES } = load().request;
    const res = (status, secs) => ({ statusCode: status, data: { retry_after_seconds: secs } });
    expect(busyWait(res(503, 1), 1, () => 0)).toBe(1000);
    expect(busyWait(res(503, 1), 1, () => 1)).toBe(1500);
    expect(busyWait(res(429, 2), 3, () => 0)).toBe(8000);
    expect(busyWait(res(429, 600), 1)).toBe(-1); // a code-guess lock of 10 minutes: told, not waited for
    expect(busyWait(res(409, 1), 1)).toBe(-1);
    expect(busyWait({ statusCode: 503, data: {} }, 1)).toBe(-1);
    expect(BUSY_RETRIES).toBe(3);

    jest.useFakeTimers();
    try {
      const { api, errors } = load();
      wx.__server.on('POST', '/api/v1/registrations/8/submit', {
        status: 503,
        body: { error: { code: 'busy', message: '报名人数较多，请稍后重试' }, retry_after_seconds: 1 },
      });
      const p = api.submitRegistration(8).catch((e) => e);
      await jest.advanceTimersByTimeAsync(60000);
      const err = await p;
      expect(err).toBeInstanceOf(errors.ApiError);
      expect(err.message).toBe('报名人数较多，请稍后重试');
      expect(wx.__server.count('POST', '/api/v1/registrations/8/submit')).toBe(1 + BUSY_RETRIES);
    } finally {
      jest.useRealTimers();
    }
  });

  test('204 resolves to null', async () => {
    const { api } = load();
    wx.__server.on('DELETE', '/api/v1/registrations/1/attachments/2', { status: 204 });
    await expect(api.deleteAttachment(1, 2)).resolves.toBeNull();
  });
});

describe('upload', () => {
  beforeEach(loginRoute);

  test('reports progress, re-logs in once on 401, returns the attachment', async () => {
    const { upload, auth } = load();
    await auth.ensureToken();
    const seen = [];
    const p = upload.upload({ path: '/api/v1/registrations/1/attachments', filePath: 'wxfile://a.zip', formData: { item: 'diploma' }, onProgress: (n) => seen.push(n) });
    await new Promise((r) => setTimeout(r, 0));
    wx.__uploads[0].progress(30);
    wx.__uploads[0].finish({ status: 401, body: {} });
    await new Promise((r) => setTimeout(r, 5));
    expect(wx.__uploads[1].options.header.Authorization).toBe('Bearer tok-2');
    wx.__uploads[1].progress(100);
    wx.__uploads[1].finish({ status: 201, body: { id: 9, file_name: 'a.zip' } });
    await expect(p).resolves.toEqual({ id: 9, file_name: 'a.zip' });
    expect(seen).toEqual([30, 100]);
  });

  test('a network failure is an ApiError with the network message', async () => {
    const { upload, auth } = load();
    await auth.ensureToken();
    const p = upload.upload({ path: '/x', filePath: 'f' });
    await new Promise((r) => setTimeout(r, 0));
    wx.__uploads[0].finish({ network: true });
    await expect(p).rejects.toMatchObject({ status: 0, code: 'network' });
  });
});

describe('subscribe consent', () => {
  beforeEach(loginRoute);

  test('asks for at most three templates and reports only valid answers', async () => {
    const { subscribe } = load();
    wx.requestSubscribeMessage.mockImplementation((o) => o.success({ errMsg: 'ok', A: 'accept', B: 'ban', C: 'weird' }));
    wx.__server.on('POST', '/api/v1/me/subscriptions', { status: 200, body: { credits: { A: 1 } } });
    const answers = await subscribe.askConsent(['A', 'B', 'C', 'D']);
    expect(wx.requestSubscribeMessage.mock.calls[0][0].tmplIds).toEqual(['A', 'B', 'C']);
    expect(answers).toEqual({ A: 'accept', B: 'ban' });
    await expect(subscribe.reportConsent(answers)).resolves.toBe(true);
    const call = wx.__server.calls.find((c) => c.path === '/api/v1/me/subscriptions');
    expect(call.data).toEqual({ results: { A: 'accept', B: 'ban' } });
  });

  test('templates are picked by event in order of importance, else whatever the server configured', () => {
    const { subscribe } = load();
    const list = [{ event: 'x', template_id: 'X' }, { event: 'b', template_id: 'B' }, { event: 'a', template_id: 'A' }];
    expect(subscribe.templateIdsFor(list, ['a', 'b'])).toEqual(['A', 'B']);
    expect(subscribe.templateIdsFor(list, ['unknown'])).toEqual(['X', 'B', 'A']);
    expect(subscribe.templateIdsFor([], ['a'])).toEqual([]);
  });

  test('a refused dialog reports nothing', async () => {
    const { subscribe } = load();
    wx.requestSubscribeMessage.mockImplementation((o) => o.fail({ errMsg: 'requestSubscribeMessage:fail' }));
    const answers = await subscribe.askConsent(['A']);
    expect(answers).toEqual({});
    await expect(subscribe.reportConsent(answers)).resolves.toBe(false);
    expect(wx.__server.calls).toHaveLength(0);
  });
});
