/** Issue 25: identity fields of other documents, the form's truth, seat watches. */
const { renderPage, text, tap, fire, flush } = require('./helpers/render');
const { baseRoutes, registration, plan } = require('./helpers/api');

const REG = '/api/v1/registrations/11';
const NO_ID = { id: 7, has_identity: false, phone_masked: '', oa_bound: false, identity_locked: false };

/** @param {object} [over] @param {any[]} [files] */
function formRoutes(over, files) {
  const server = baseRoutes(wx.__server);
  let current = registration(over);
  server.on('GET', REG, () => ({ status: 200, body: current }));
  server.on('PUT', REG, (req) => {
    current = Object.assign({}, current, req.data);
    return { status: 200, body: current };
  });
  server.on('GET', `${REG}/checklist`, {
    status: 200,
    body: {
      items: [
        { key: 'diploma', name: '毕业证', required: true, satisfied: true, hint: '' },
        { key: 'social_insurance', name: '社保证明', required: false, satisfied: false, hint: '' },
      ],
    },
  });
  server.on('GET', `${REG}/attachments`, { status: 200, body: { items: files || [] } });
  return server;
}

describe('point 2: 性别 and 出生日期 for documents whose number lacks them', () => {
  test('a passport asks for both, required, and sends them; a residence permit derives and locks them', async () => {
    baseRoutes(wx.__server);
    wx.__server.on('GET', '/api/v1/me', { status: 200, body: NO_ID });
    wx.__server.on('PUT', '/api/v1/me/identity', (req) => ({ status: 200, body: Object.assign({}, NO_ID, req.data, { has_identity: true }) }));
    const page = await renderPage('mine');
    await fire(page, '#id-name', 'change', { value: '陈大文' });
    await fire(page, '#id-type', 'change', { value: 5 }); // 护照
    await fire(page, '#id-number', 'change', { value: 'E12345678' });
    expect(text(page)).toContain('性别：请选择性别');
    expect(text(page)).toContain('出生日期：请选择出生日期');
    await tap(page, '#consent');
    await tap(page, '#bind');
    expect(page.data.idErrors).toMatchObject({ gender: '请选择性别', birth_date: '请选择出生日期' });
    expect(wx.__server.count('PUT', '/api/v1/me/identity')).toBe(0);
    await fire(page, '#id-gender', 'change', { value: 1 });
    await fire(page, '#id-birth', 'change', { value: '1990-05-01' });
    // Typing the number again keeps what was picked.
    await fire(page, '#id-number', 'change', { value: 'E123456789' });
    expect(page.data.idGender).toBe('女');
    await tap(page, '#bind');
    const put = wx.__server.calls.find((c) => c.method === 'PUT');
    expect(put.data).toMatchObject({ id_type: '06', id_number: 'E123456789', gender: '女', birth_date: '1990-05-01' });
  });

  test('a future birth date is refused before sending; derived types show the number\'s values locked', async () => {
    baseRoutes(wx.__server);
    wx.__server.on('GET', '/api/v1/me', { status: 200, body: NO_ID });
    const page = await renderPage('mine');
    await fire(page, '#id-name', 'change', { value: '陈大文' });
    await fire(page, '#id-type', 'change', { value: 3 }); // 台湾居民来往大陆通行证
    await fire(page, '#id-number', 'change', { value: '12345678' });
    await fire(page, '#id-gender', 'change', { value: 0 });
    await fire(page, '#id-birth', 'change', { value: '2999-01-01' });
    await tap(page, '#consent');
    await tap(page, '#bind');
    expect(text(page)).toContain('出生日期应早于今天');
    await fire(page, '#id-type', 'change', { value: 1 }); // 港澳台居民居住证: from the number
    await fire(page, '#id-number', 'change', { value: '810000199408230021' });
    expect(text(page)).toContain('性别：女（已锁定）');
    expect(text(page)).toContain('出生日期：1994-08-23（已锁定）');
    expect(page.data.derived).toBe(true);
  });
});

describe('point 5: the form tells the truth', () => {
  test('required marks follow the server rule per basis; a new draft is 未提交 and says drafts hold no seat', async () => {
    formRoutes({ status_name: '未提交', plan: plan({ level: 5, level_name: '五级/初级工' }),
      required_fields: ['basis', 'education', 'years_in_occupation', 'candidate_source', 'labor_relation', 'phone', 'employer', 'commitment_accepted'] });
    const page = await renderPage('form', { query: { id: '11' } });
    let out = text(page);
    expect(out).toContain('未提交');
    expect(out).toContain('草稿不占名额');
    expect(page.data.required).toMatchObject({ phone: true, years_in_occupation: true, employer: true });
    expect(out).toContain('* 手机号码');
    expect(out).toContain('* 从业年限');
    await tap(page, '#basis-level5');
    // 报名五级 fills 从业年限 itself: no mark; the phone stays required.
    expect(page.data.required.years_in_occupation).toBeUndefined();
    expect(page.data.required.phone).toBe(true);
    out = text(page);
    expect(out).toContain('* 手机号码');
    expect(out).not.toContain('* 从业年限');
  });

  test('a return lets only the named fields and items change, and says so', async () => {
    formRoutes(
      {
        status: 'returned', status_name: '退回修改', review_note: '毕业证不清晰', basis: 'work_years', education: '21',
        return_fields: ['education', 'diploma'], editable_items: ['diploma'],
        locked_fields: ['basis', 'years_in_occupation', 'candidate_source', 'labor_relation', 'phone', 'employer', 'commitment_accepted'],
        lock_note: '退回修改：只能修改审核意见指出的内容（文化程度、毕业证），其他内容已锁定',
      },
      [
        { id: 1, seq: 1, file_name: '毕业证.png', uploaded_at: '2025-11-01T02:00:00Z', size: 10, item: 'diploma', item_name: '毕业证', content_type: 'image/png' },
        { id: 2, seq: 2, file_name: '社保.pdf', uploaded_at: '2025-11-01T02:00:00Z', size: 10, item: 'social_insurance', item_name: '社保证明', content_type: 'application/pdf' },
      ],
    );
    const page = await renderPage('form', { query: { id: '11' } });
    await flush();
    const out = text(page);
    expect(out).toContain('只能修改审核意见指出的内容（文化程度、毕业证）');
    expect(page.data.locked).toMatchObject({ phone: true, employer: true, education: false });
    await fire(page, '#phone', 'change', { value: '13900139000' });
    expect(page.data.form.phone).toBe('');
    expect(page.querySelector('#upload-diploma')).toBeTruthy();
    expect(page.querySelector('#upload-social_insurance')).toBeFalsy();
    expect(out).toContain('已锁定');
    expect(page.querySelector('#delete-1')).toBeTruthy();
    expect(page.querySelector('#delete-2')).toBeFalsy();
  });

  test('an uploaded image opens in the preview, a PDF in the document viewer', async () => {
    formRoutes({}, [
      { id: 1, seq: 1, file_name: '毕业证.png', uploaded_at: '2025-11-01T02:00:00Z', size: 10, item: 'diploma', item_name: '毕业证', content_type: 'image/png' },
      { id: 2, seq: 2, file_name: '社保.pdf', uploaded_at: '2025-11-01T02:00:00Z', size: 10, item: 'social_insurance', item_name: '社保证明', content_type: 'application/pdf' },
      { id: 3, seq: 3, file_name: '材料.rar', uploaded_at: '2025-11-01T02:00:00Z', size: 10, item: 'social_insurance', item_name: '社保证明', content_type: 'application/vnd.rar' },
    ]);
    const page = await renderPage('form', { query: { id: '11' } });
    await flush();
    await tap(page, '#open-1');
    await flush();
    expect(wx.downloadFile).toHaveBeenCalledWith(expect.objectContaining({ url: expect.stringContaining(`${REG}/attachments/1`) }));
    expect(wx.downloadFile.mock.calls[0][0].header.Authorization).toMatch(/^Bearer /);
    expect(wx.previewImage).toHaveBeenCalledWith(expect.objectContaining({ urls: ['wxfile://tmp/download'] }));
    await tap(page, '#open-2');
    await flush();
    expect(wx.openDocument).toHaveBeenCalledWith(expect.objectContaining({ filePath: 'wxfile://tmp/download', fileType: 'pdf' }));
    await tap(page, '#open-3');
    await flush();
    expect(wx.downloadFile).toHaveBeenCalledTimes(2);
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: expect.stringContaining('压缩包') }));
  });
});

describe('point 7: 有空位提醒我 where plan_full is answered', () => {
  test('a full plan on submit offers the watch; confirming subscribes', async () => {
    const server = formRoutes({ basis: 'work_years', education: '21', years_in_occupation: 3, candidate_source: 'employee',
      labor_relation: 'employee', phone: '13800138000', employer: '广州某某科技有限公司', commitment_accepted: true });
    server.on('POST', `${REG}/submit`, {
      status: 409,
      body: { error: { code: 'plan_full', message: '该评价计划报名人数已满', field: '' }, plan_id: 1, seat_watch: true },
    });
    server.on('POST', '/api/v1/plans/1/seat-watch', { status: 200, body: { plan_id: 1, watching: true } });
    const page = await renderPage('form', { query: { id: '11' } });
    page.querySelector('#submit').instance._tap();
    await flush();
    await flush();
    expect(page.data.seatWatch).toMatchObject({ visible: true, planId: 1 });
    expect(text(page)).toContain('名额不作保留，先提交者先得');
    await page.instance.onSeatWatch();
    expect(wx.__server.count('POST', '/api/v1/plans/1/seat-watch')).toBe(1);
    expect(page.data.seatWatch.visible).toBe(false);
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '有空位时将提醒您' }));
  });
});
