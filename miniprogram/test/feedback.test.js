const { renderPage, text, tap, fire, flush } = require('./helpers/render');
const { baseRoutes, META, registration, list } = require('./helpers/api');

/** A feedback as GET /api/v1/feedback returns it. */
function feedback(over) {
  return Object.assign(
    {
      id: 31,
      plan: { id: 1, plan_no: '2501', plan_name: '2025年第4期人工智能训练师二级认定', occupation_name: '人工智能训练师', level: 2, level_name: '二级/技师', institution_name: '广东岭南现代技师学院', supervision_region: '广东省（省本级）' },
      registration_id: 11,
      category: 'exam_discipline',
      category_name: '考场纪律',
      content: '考场内监考人员离场超过二十分钟，无人监考。',
      images: [],
      contact_pref: 'in_app',
      contact_pref_name: '小程序内答复',
      contact_phone_masked: '',
      anonymous: false,
      status: 'submitted',
      status_name: '已提交',
      reply: '',
      replied_at: null,
      created_at: '2025-11-13T06:00:00Z',
      updated_at: '2025-11-13T06:00:00Z',
    },
    over || {},
  );
}

/** Sign-in, meta with the reply template, one registration, no feedback yet. */
function routes() {
  const server = baseRoutes(wx.__server);
  server.on('GET', '/api/v1/meta', {
    status: 200,
    body: Object.assign({}, META, { subscribe_templates: META.subscribe_templates.concat([{ event: 'feedback.replied', template_id: 'TPL_FEEDBACK' }]) }),
  });
  server.on('GET', '/api/v1/registrations', { status: 200, body: list([registration()]) });
  server.on('GET', '/api/v1/feedback', { status: 200, body: list([]) });
  server.on('POST', '/api/v1/me/subscriptions', { status: 200, body: { credits: { TPL_FEEDBACK: 1 } } });
  return server;
}

/** Fills a valid feedback about the registration. */
async function fill(page) {
  await fire(page, '#target', 'change', { value: 0 });
  await fire(page, '#category', 'change', { value: 1 });
  await fire(page, '#content', 'change', { value: '考场内监考人员离场超过二十分钟，无人监考。' });
}

describe('外部督导情况反馈', () => {
  test('the form: registrations to choose, categories, photos, anonymity and contact', async () => {
    routes();
    const page = await renderPage('feedback');
    const out = text(page);
    expect(out).toMatchSnapshot();
    expect(out).not.toContain('即将开放');
    expect(page.data.targetNames).toEqual(['2501 人工智能训练师（二级/技师）', '其他评价计划（填写计划编号）']);
    expect(page.data.categoryNames).toEqual(['考务组织', '考场纪律', '收费问题', '证书发放', '其他']);
    expect(page.querySelector('#submit').instance.data.disabled).toBe(false);
  });

  test('each field is checked before sending, and an error goes once fixed', async () => {
    routes();
    const page = await renderPage('feedback');
    await tap(page, '#submit');
    expect(wx.__server.count('POST', '/api/v1/feedback')).toBe(0);
    let out = text(page);
    expect(out).toContain('请选择要反馈的报名记录，或填写评价计划编号');
    expect(out).toContain('请选择反馈类别');
    expect(out).toContain('反馈内容至少10个字');
    expect(out).toMatchSnapshot();
    await fire(page, '#target', 'change', { value: 1 });
    expect(text(page)).toContain('评价计划编号：‹请输入评价计划编号›');
    await fire(page, '#content', 'change', { value: '太短了' });
    expect(text(page)).toContain('反馈内容至少10个字');
    await fire(page, '#content', 'change', { value: '考点收取了公示以外的资料费二百元。' });
    expect(page.data.errors.content).toBeUndefined();
    // Phone contact: a typed number is checked; empty means the bound phone.
    await fire(page, '#contact-pref', 'change', { value: 1 });
    expect(text(page)).toContain('联系电话：‹留空将使用已绑定的手机号 138****1234›');
    await fire(page, '#contact-phone', 'change', { value: '12345' });
    await tap(page, '#submit');
    expect(text(page)).toContain('⚠ 手机号码应为以1开头的11位数字');
    // Anonymous: no contact at all.
    await fire(page, '#anonymous', 'change', { value: true });
    expect(text(page)).not.toContain('回访方式');
    expect(text(page)).not.toContain('联系电话');
  });

  test('sends the text with consent for the reply message, then each photo with progress', async () => {
    const server = routes();
    server.on('POST', '/api/v1/feedback', (req) => ({ status: 201, body: feedback({ anonymous: req.data.anonymous }) }));
    wx.chooseMedia.mockImplementation((o) =>
      o.success({ tempFiles: [{ tempFilePath: 'wxfile://tmp/a.jpg', size: 4096 }, { tempFilePath: 'wxfile://tmp/b.png', size: 2048 }] }),
    );
    const page = await renderPage('feedback');
    await fill(page);
    await tap(page, '#add-image');
    expect(wx.chooseMedia.mock.calls[0][0]).toMatchObject({ count: 3, mediaType: ['image'] });
    expect(text(page)).toContain('添加图片（2 / 3）');
    await fire(page, '#anonymous', 'change', { value: true });
    await tap(page, '#submit');

    expect(wx.requestSubscribeMessage.mock.calls[0][0].tmplIds).toEqual(['TPL_FEEDBACK']);
    expect(server.count('POST', '/api/v1/me/subscriptions')).toBe(1);
    const post = server.calls.find((c) => c.method === 'POST' && c.path === '/api/v1/feedback');
    expect(post.data).toEqual({
      registration_id: 11,
      category: 'exam_discipline',
      content: '考场内监考人员离场超过二十分钟，无人监考。',
      anonymous: true,
      contact_pref: 'in_app',
    });

    const first = wx.__uploads[0];
    expect(first.options.url).toBe('http://127.0.0.1:8080/api/v1/feedback/31/images');
    expect(first.options.name).toBe('images');
    expect(first.options.filePath).toBe('wxfile://tmp/a.jpg');
    first.progress(50);
    await flush();
    expect(text(page)).toContain('正在上传第 1 / 2 张图片');
    expect(text(page)).toContain('进度 50%');
    expect(page.querySelector('#submit').instance.data.disabled).toBe(true);
    first.finish({ status: 201, body: feedback() });
    await flush();
    server.on('GET', '/api/v1/feedback', { status: 200, body: list([feedback({ anonymous: true, images: [{ id: 1 }, { id: 2 }] })]) });
    wx.__uploads[1].finish({ status: 201, body: feedback() });
    await flush();
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '提交成功' }));
    expect(page.data.tab).toBe('mine');
    const out = text(page);
    expect(out).toContain('考场纪律 · 2501 〔已提交〕');
    expect(out).toContain('2张图片');
    expect(out).toContain('（匿名）');
  });

  test('a failed photo can be retried from where it stopped, or left out', async () => {
    const server = routes();
    server.on('POST', '/api/v1/feedback', { status: 201, body: feedback() });
    wx.chooseMedia.mockImplementation((o) =>
      o.success({ tempFiles: [{ tempFilePath: 'wxfile://tmp/a.jpg', size: 1 }, { tempFilePath: 'wxfile://tmp/b.jpg', size: 1 }] }),
    );
    const page = await renderPage('feedback');
    await fill(page);
    await tap(page, '#add-image');
    await tap(page, '#submit');
    wx.__uploads[0].finish({ status: 201, body: feedback() });
    await flush();
    wx.__uploads[1].finish({ status: 413, body: { error: { code: 'image_too_large', message: '单张图片不能超过5MB', field: 'images' } } });
    await flush();
    const out = text(page);
    expect(out).toContain('图片上传失败：单张图片不能超过5MB');
    expect(out).toMatchSnapshot();
    await tap(page, '#upload-retry');
    expect(wx.__uploads).toHaveLength(3);
    expect(wx.__uploads[2].options.filePath).toBe('wxfile://tmp/b.jpg');
    wx.__uploads[2].finish({ network: true });
    await flush();
    await tap(page, '#upload-skip');
    expect(page.data.tab).toBe('mine');
    expect(server.count('POST', '/api/v1/feedback')).toBe(1);
  });

  test('API field errors show at their field; the daily limit is told plainly', async () => {
    const server = routes();
    server.on('POST', '/api/v1/feedback', {
      status: 404,
      body: { error: { code: 'plan_not_found', message: '评价计划编号不存在，请核对后重新填写', field: 'plan_no' } },
    });
    const page = await renderPage('feedback');
    await fire(page, '#target', 'change', { value: 1 });
    await fire(page, '#plan-no', 'change', { value: '9999' });
    await fire(page, '#category', 'change', { value: 0 });
    await fire(page, '#content', 'change', { value: '考点未按通知时间开考，推迟了一个小时。' });
    await tap(page, '#submit');
    expect(text(page)).toContain('⚠ 评价计划编号不存在，请核对后重新填写');
    expect(server.calls.find((c) => c.method === 'POST' && c.path === '/api/v1/feedback').data.plan_no).toBe('9999');

    server.on('POST', '/api/v1/feedback', {
      status: 429,
      body: { error: { code: 'feedback_rate_limited', message: '反馈提交过于频繁：每天最多提交5条反馈，请稍后再试' }, retry_after_seconds: 3600 },
    });
    await tap(page, '#submit');
    expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '反馈提交过于频繁：每天最多提交5条反馈，请稍后再试' }));
    expect(wx.__uploads).toHaveLength(0);
  });

  test('我的反馈: the supervisor’s status and reply; empty and error states', async () => {
    const server = routes();
    server.on('GET', '/api/v1/feedback', {
      status: 200,
      body: list([
        feedback({ id: 32, status: 'closed', status_name: '已办结', reply: '已责成评价机构整改。', replied_at: '2025-11-15T02:00:00Z' }),
        feedback({ status: 'processing', status_name: '处理中', category_name: '收费问题' }),
      ]),
    });
    // The reply notification links to pages/feedback/feedback?id=<feedback id>.
    const page = await renderPage('feedback', { query: { id: '32' } });
    const out = text(page);
    expect(out).toMatchSnapshot();
    expect(out).toContain('监管部门答复（2025-11-15 10:00）：已责成评价机构整改。');
    expect(out).toContain('等待监管部门处理');
    expect(page.data.items.map((i) => i.tone)).toEqual(['success', 'warning']);

    server.on('GET', '/api/v1/feedback', { status: 200, body: list([]) });
    const empty = await renderPage('feedback', { query: { tab: 'mine' } });
    expect(text(empty)).toContain('暂无反馈记录');
    server.on('GET', '/api/v1/feedback', { status: 500, body: {} });
    const failed = await renderPage('feedback', { query: { tab: 'mine' } });
    expect(text(failed)).toContain('服务异常，请稍后再试');
    await fire(failed, '#tabs', 'change', { value: 'new' });
    expect(text(failed)).toContain('反馈对象');
  });
});
