const { renderPage, text, tap, flush } = require('./helpers/render');
const { baseRoutes, registration, list } = require('./helpers/api');

const STATUSES = [
  ['draft', '已保存', 'default'],
  ['submitted', '已提交', 'primary'],
  ['approved', '审核通过', 'success'],
  ['returned', '退回修改', 'warning'],
  ['rejected', '审核不通过', 'danger'],
  ['cancelled', '已撤销', 'default'],
];

describe('报名记录', () => {
  beforeEach(() => baseRoutes(wx.__server));

  test('lists registrations with a colour per status', async () => {
    const items = STATUSES.map(([status, name], i) =>
      registration({ id: i + 1, status, status_name: name, review_note: status === 'returned' ? '请补充社保证明' : '' }),
    );
    wx.__server.on('GET', '/api/v1/registrations', { status: 200, body: list(items) });
    const page = await renderPage('records');
    expect(text(page)).toMatchSnapshot();
    expect(page.data.items.map((i) => i.tone)).toEqual(STATUSES.map((s) => s[2]));
    expect(text(page)).toContain('已退回修改：请补充社保证明');
    await tap(page, '#record-4');
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/record/record?id=4' });
  });

  test('empty and error states', async () => {
    wx.__server.on('GET', '/api/v1/registrations', { status: 200, body: list([]) });
    const empty = await renderPage('records');
    expect(text(empty)).toContain('暂无报名记录');
    wx.__server.on('GET', '/api/v1/registrations', { network: true });
    const failed = await renderPage('records');
    expect(text(failed)).toContain('网络连接失败');
    expect(text(failed)).toMatchSnapshot();
  });

  test('pull to refresh reloads the list and keeps it shown meanwhile', async () => {
    wx.__server.on('GET', '/api/v1/registrations', { status: 200, body: list([registration({ id: 1 })]) });
    const page = await renderPage('records');
    wx.__server.on('GET', '/api/v1/registrations', { status: 200, body: list([registration({ id: 1 }), registration({ id: 2 })]) });
    await page.instance.onPullDownRefresh();
    expect(page.data.items.map((i) => i.id)).toEqual([1, 2]);
    expect(page.data.state).toBe('ready');
    expect(wx.stopPullDownRefresh).toHaveBeenCalled();
  });
});

describe('报名详情', () => {
  beforeEach(() => baseRoutes(wx.__server));

  test('a submitted registration can be cancelled after confirming', async () => {
    wx.__server.on('GET', '/api/v1/registrations/5', {
      status: 200,
      body: registration({ id: 5, status: 'submitted', status_name: '已提交', editable: false, basis: 'work_years', education: '21', candidate_source: 'employee', labor_relation: 'employee', employer: '岭南科技公司', years_in_occupation: 6, phone: '13800138000', submitted_at: '2025-11-02T01:00:00Z' }),
    });
    wx.__server.on('POST', '/api/v1/registrations/5/cancel', { status: 200, body: registration({ id: 5, status: 'cancelled', status_name: '已撤销', editable: false }) });
    const page = await renderPage('record', { query: { id: '5' } });
    const out = text(page);
    expect(out).toMatchSnapshot();
    expect(out).toContain('报考依据：以工作年限报考');
    expect(out).toContain('文化程度：大学本科');
    expect(page.querySelector('#edit')).toBeFalsy();
    await tap(page, '#cancel');
    expect(wx.showModal).toHaveBeenCalled();
    expect(wx.__server.count('POST', '/api/v1/registrations/5/cancel')).toBe(1);
    expect(text(page)).toContain('已撤销');
    expect(page.querySelector('#cancel')).toBeFalsy();
  });

  test('a returned registration shows the reason and 修改 opens the form', async () => {
    wx.__server.on('GET', '/api/v1/registrations/6', {
      status: 200,
      body: registration({ id: 6, status: 'returned', status_name: '退回修改', review_note: '所在单位与社保不一致', return_fields: ['employer'] }),
    });
    const page = await renderPage('record', { query: { id: '6' } });
    expect(text(page)).toContain('审核意见：所在单位与社保不一致');
    expect(text(page)).toContain('需修改：所在单位');
    await tap(page, '#edit');
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/form/form?id=6' });
  });

  test('the record lists its attachments and opens one', async () => {
    wx.__server.on('GET', '/api/v1/registrations/9', { status: 200, body: registration({ id: 9, status: 'submitted', status_name: '已提交' }) });
    wx.__server.on('GET', '/api/v1/registrations/9/attachments', {
      status: 200,
      body: { items: [
        { id: 31, seq: 1, file_name: 'diploma.pdf', item: 'diploma', item_name: '毕业证', uploaded_at: '2025-11-02T01:00:00Z' },
        { id: 32, seq: 2, file_name: '社保.jpg', item: 'social_security', item_name: '社保证明', uploaded_at: '2025-11-02T01:05:00Z' },
      ] },
    });
    const downloads = [];
    wx.downloadFile = jest.fn((/** @type {any} */ o) => { downloads.push(o); o.success({ statusCode: 200, tempFilePath: `wxfile://tmp/${downloads.length}` }); });
    wx.openDocument = jest.fn((/** @type {any} */ o) => o.success && o.success({}));
    wx.previewImage = jest.fn();
    const page = await renderPage('record', { query: { id: '9' } });
    const out = text(page);
    expect(out).toContain('附件（2）');
    expect(out).toContain('毕业证：diploma.pdf');
    expect(out).toContain('社保证明：社保.jpg');
    const cells = page.querySelectorAll('.file');
    cells[0].dispatchEvent('click');
    await flush();
    expect(downloads[0].url).toMatch(/\/api\/v1\/registrations\/9\/attachments\/31$/);
    expect(downloads[0].header.Authorization).toMatch(/^Bearer /);
    expect(wx.openDocument).toHaveBeenCalledWith(expect.objectContaining({ filePath: 'wxfile://tmp/1', fileType: 'pdf' }));
    cells[1].dispatchEvent('click');
    await flush();
    expect(wx.previewImage).toHaveBeenCalledWith(expect.objectContaining({ urls: ['wxfile://tmp/2'], current: 'wxfile://tmp/2' }));
  });

  test('declining the confirmation does not cancel', async () => {
    wx.__server.on('GET', '/api/v1/registrations/5', { status: 200, body: registration({ id: 5, status: 'submitted', status_name: '已提交' }) });
    wx.showModal.mockImplementation((o) => o.success({ confirm: false, cancel: true }));
    const page = await renderPage('record', { query: { id: '5' } });
    await tap(page, '#cancel');
    expect(wx.__server.count('POST', '/api/v1/registrations/5/cancel')).toBe(0);
  });
});
