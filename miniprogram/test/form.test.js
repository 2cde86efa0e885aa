const { renderPage, text, tap, fire, flush } = require('./helpers/render');
const { baseRoutes, plan, registration } = require('./helpers/api');

const REG = '/api/v1/registrations/11';

/**
 * Routes for one draft registration; PUT echoes the body back as the saved state.
 * @param {object} [over] registration overrides
 */
function formRoutes(over) {
  const server = baseRoutes(wx.__server);
  let current = registration(over);
  server.on('GET', REG, () => ({ status: 200, body: current }));
  server.on('PUT', REG, (req) => {
    current = Object.assign({}, current, req.data);
    return { status: 200, body: current };
  });
  server.on('GET', `${REG}/checklist`, {
    status: 200,
    body: { items: [{ key: 'diploma', name: '毕业证', required: true, satisfied: false, hint: '' }] },
  });
  server.on('GET', `${REG}/attachments`, { status: 200, body: { items: [] } });
  return server;
}

describe('考生报名 form', () => {
  test('renders identity, pickers, counters, commitment and the empty attachment list', async () => {
    formRoutes();
    const page = await renderPage('form', { query: { id: '11' } });
    const out = text(page);
    expect(out).toMatchSnapshot();
    expect(out).toContain('证件号码：440524********0014');
    expect(out).toContain('0 / 25');
    expect(out).toContain('本人知晓本职业（工种）报考条件');
    expect(out).toContain('序号 文件名称 上传时间 操作');
    expect(out).toContain('暂无数据');
    expect(out).toContain('考生所在单位信息如是在校生填写所在学校名称');
  });

  test('loading and error states', async () => {
    formRoutes();
    wx.__server.on('GET', REG, { status: 404, body: { error: { code: 'not_found', message: '报名记录不存在' } } });
    const page = await renderPage('form', { query: { id: '11' } });
    expect(text(page)).toMatchSnapshot();
    expect(text(page)).toContain('报名记录不存在');
  });

  test('报名五级 fills 0 / 其他 / 无 / 其他, locks them, and shows its checklist', async () => {
    formRoutes({ plan: plan({ level: 5, level_name: '五级/初级工' }) });
    wx.__server.on('GET', `${REG}/checklist`, { status: 503, body: {} });
    const page = await renderPage('form', { query: { id: '11' } });
    await tap(page, '#basis-level5');
    expect(page.data.form).toMatchObject({
      basis: 'level5',
      years_in_occupation: '0',
      candidate_source: 'other',
      employer: '无',
      labor_relation: 'other',
    });
    expect(page.data.locked).toMatchObject({
      years_in_occupation: true,
      candidate_source: true,
      employer: true,
      labor_relation: true,
      phone: false,
      education: false,
    });
    const out = text(page);
    expect(out).toMatchSnapshot();
    expect(out).toContain('所在单位：无（已锁定）');
    expect(out).toContain('毕业证（必传）');
    expect(out).toContain('学信网电子注册备案表（有则上传）');
    expect(out).toContain('大专及以上学历必须上传；其他学历如有可上传');
    // Locked fields ignore edits.
    await fire(page, '#employer', 'change', { value: '某公司' });
    expect(page.data.form.employer).toBe('无');
  });

  test('a level-2 plan offers only 以工作年限报考 and 以职称或技能证书报考', async () => {
    formRoutes();
    const page = await renderPage('form', { query: { id: '11' } });
    const disabled = page.data.bases.filter((b) => b.disabled).map((b) => b.code);
    expect(disabled).toEqual(['level5', 'education']);
    await tap(page, '#basis-level5');
    expect(page.data.form.basis).toBe('');
  });

  test('以学历报考 is allowed at level 3 and 4 only, with the same fills', async () => {
    formRoutes({ plan: plan({ level: 4, level_name: '四级/中级工' }) });
    const page = await renderPage('form', { query: { id: '11' } });
    await tap(page, '#basis-education');
    expect(page.data.form).toMatchObject({ years_in_occupation: '0', candidate_source: 'other', employer: '无', labor_relation: 'other' });
    expect(page.data.bases.find((b) => b.code === 'level5').disabled).toBe(true);
  });

  test('以工作年限报考 sets 本企业职工 twice and leaves employer and years to the candidate', async () => {
    formRoutes({ plan: plan({ level: 4 }) });
    const page = await renderPage('form', { query: { id: '11' } });
    await tap(page, '#basis-education');
    await tap(page, '#basis-work_years');
    expect(page.data.form).toMatchObject({ candidate_source: 'employee', labor_relation: 'employee', employer: '', years_in_occupation: '' });
    expect(page.data.locked).toMatchObject({ candidate_source: true, labor_relation: true, employer: false, years_in_occupation: false });
    await tap(page, '#basis-title_or_cert');
    expect(page.data.checklist.map((c) => c.name)).toContain('职称或技能证书');
  });

  test('typing checks phone and counts the employer N / 25', async () => {
    formRoutes();
    const page = await renderPage('form', { query: { id: '11' } });
    await fire(page, '#phone', 'change', { value: '2380013' });
    expect(text(page)).toContain('⚠ 手机号码应为以1开头的11位数字');
    await fire(page, '#phone', 'change', { value: '13800138000' });
    expect(page.data.errors.phone).toBeUndefined();
    await fire(page, '#employer', 'change', { value: '广州市某某科技有限公司' });
    expect(text(page)).toContain('11 / 25');
  });

  test('an API field error shows at its field', async () => {
    formRoutes();
    wx.__server.on('PUT', REG, {
      status: 400,
      body: {
        error: {
          code: 'invalid', message: '填写的信息有误', field: 'employer',
          fields: [{ field: 'employer', code: 'employer_invalid', message: '所在单位名称不规范' }],
        },
        registration: registration(),
      },
    });
    const page = await renderPage('form', { query: { id: '11' } });
    await fire(page, '#employer', 'change', { value: '某单位' });
    await tap(page, '#save');
    expect(page.data.errors.employer).toBe('所在单位名称不规范');
    expect(text(page)).toContain('⚠ 所在单位名称不规范');
    expect(text(page)).toMatchSnapshot();
  });

  test('the employer warning is a dialog closed with 知道了', async () => {
    formRoutes();
    wx.__server.on('PUT', REG, (req) => ({
      status: 200,
      body: registration(Object.assign({}, req.data, {
        warnings: [{ code: 'employer_mismatch', message: '检测所在单位信息与广东省人社系统中的工作单位信息不符，请确认并上传相关自证材料。' }],
      })),
    }));
    const page = await renderPage('form', { query: { id: '11' } });
    await tap(page, '#save');
    const out = text(page);
    expect(out).toContain('【对话框】提示信息');
    expect(out).toContain('检测所在单位信息与广东省人社系统中的工作单位信息不符');
    expect(out).toContain('[知道了]');
    await tap(page, '#warning');
    expect(text(page)).not.toContain('【对话框】');
  });

  test('the employer warning never blocks: 知道了 goes on with the submit, and a second 提交 submits at once', async () => {
    const warned = (req) => ({
      status: 200,
      body: registration(Object.assign({}, req.data, {
        commitment_accepted: true,
        warnings: [{ code: 'employer_mismatch', message: '检测所在单位信息与广东省人社系统中的工作单位信息不符，请确认并上传相关自证材料。' }],
      })),
    });
    formRoutes({ commitment_accepted: true });
    wx.__server.on('PUT', REG, warned);
    wx.__server.on('POST', '/api/v1/me/subscriptions', { status: 200, body: { credits: {} } });
    wx.__server.on('POST', `${REG}/submit`, { status: 200, body: registration({ status: 'submitted', status_name: '已提交' }) });
    const page = await renderPage('form', { query: { id: '11' } });
    await tap(page, '#submit');
    await flush(12);
    // The warning is shown before anything is submitted.
    expect(text(page)).toContain('检测所在单位信息与广东省人社系统中的工作单位信息不符');
    expect(wx.__server.count('POST', `${REG}/submit`)).toBe(0);
    // 知道了 submits the saved registration.
    await tap(page, '#warning');
    await flush(12);
    expect(text(page)).not.toContain('【对话框】');
    expect(wx.__server.count('POST', `${REG}/submit`)).toBe(1);
    expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/record/record?id=11' });

    // On a fresh page the warning is shown again; once read, 提交 again does not stop at it.
    wx.redirectTo.mockClear();
    const again = await renderPage('form', { query: { id: '11' } });
    await tap(again, '#save');
    await flush(12);
    await tap(again, '#warning');
    await tap(again, '#submit');
    await flush(12);
    expect(text(again)).not.toContain('【对话框】');
    expect(wx.__server.count('POST', `${REG}/submit`)).toBe(2);
    expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/record/record?id=11' });
  });

  test('upload shows progress, then failure with a retry that succeeds', async () => {
    formRoutes();
    const page = await renderPage('form', { query: { id: '11' } });
    await tap(page, '#upload-diploma');
    expect(wx.chooseMessageFile).toHaveBeenCalled();
    const task = wx.__uploads[0];
    expect(task.options.url).toBe('http://127.0.0.1:8080/api/v1/registrations/11/attachments');
    expect(task.options.formData).toEqual({ item: 'diploma' });
    expect(task.options.header.Authorization).toBe('Bearer tok-1');
    task.progress(40);
    await flush();
    expect(text(page)).toContain('进度 40%');
    task.finish({ status: 413, body: { error: { code: 'too_large', message: '文件超过 20MB' } } });
    await flush();
    expect(text(page)).toContain('上传失败：文件超过 20MB');
    expect(text(page)).toContain('（失败）');
    expect(text(page)).toMatchSnapshot();

    wx.__server.on('GET', `${REG}/attachments`, {
      status: 200,
      body: { items: [{ id: 5, seq: 1, file_name: '毕业证.zip', uploaded_at: '2025-11-02T03:04:00Z', size: 2048, item: 'diploma', item_name: '毕业证' }] },
    });
    await tap(page, '#upload-retry');
    wx.__uploads[1].progress(100);
    wx.__uploads[1].finish({ status: 201, body: { id: 5 } });
    await flush();
    const out = text(page);
    expect(out).toContain('1 毕业证.zip 2025-11-02 11:04 查看删除');
    expect(out).not.toContain('上传失败');
  });

  test('upload from the album uses wx.chooseMedia', async () => {
    formRoutes();
    wx.showActionSheet.mockImplementation((o) => o.success({ tapIndex: 1 }));
    const page = await renderPage('form', { query: { id: '11' } });
    await tap(page, '#upload-diploma');
    expect(wx.chooseMedia).toHaveBeenCalled();
    expect(wx.__uploads[0].options.filePath).toBe('wxfile://tmp/photo.jpg');
  });

  test('提交 asks for subscribe consent from the tap, reports it, saves and submits', async () => {
    formRoutes({ commitment_accepted: true });
    wx.__server.on('POST', '/api/v1/me/subscriptions', { status: 200, body: { credits: { TPL_APPROVED: 1 } } });
    wx.__server.on('POST', `${REG}/submit`, { status: 200, body: registration({ status: 'submitted', status_name: '已提交' }) });
    wx.requestSubscribeMessage.mockImplementation((o) =>
      o.success({ errMsg: 'requestSubscribeMessage:ok', TPL_APPROVED: 'accept', TPL_RETURNED: 'reject', TPL_REMINDER: 'accept' }),
    );
    const page = await renderPage('form', { query: { id: '11' } });
    page.querySelector('#submit').instance._tap();
    // Called synchronously inside the tap, before any request.
    expect(wx.requestSubscribeMessage).toHaveBeenCalledTimes(1);
    expect(wx.requestSubscribeMessage.mock.calls[0][0].tmplIds).toEqual(['TPL_APPROVED', 'TPL_RETURNED', 'TPL_REMINDER']);
    await flush(12);
    const report = wx.__server.calls.find((c) => c.path === '/api/v1/me/subscriptions');
    expect(report.data).toEqual({ results: { TPL_APPROVED: 'accept', TPL_RETURNED: 'reject', TPL_REMINDER: 'accept' } });
    expect(wx.__server.count('PUT', REG)).toBe(1);
    expect(wx.__server.count('POST', `${REG}/submit`)).toBe(1);
    expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/record/record?id=11' });
  });

  test('a double tap on 提交 submits once', async () => {
    formRoutes({ commitment_accepted: true });
    wx.__server.on('POST', '/api/v1/me/subscriptions', { status: 200, body: { credits: {} } });
    wx.__server.on('POST', `${REG}/submit`, { status: 200, body: registration({ status: 'submitted' }) });
    const page = await renderPage('form', { query: { id: '11' } });
    page.instance.onSubmit();
    page.instance.onSubmit();
    await flush(12);
    expect(wx.requestSubscribeMessage).toHaveBeenCalledTimes(1);
    expect(wx.__server.count('POST', `${REG}/submit`)).toBe(1);
  });

  test('提交 without the commitment shows the error at the checkbox', async () => {
    formRoutes();
    const page = await renderPage('form', { query: { id: '11' } });
    await tap(page, '#submit');
    await flush();
    expect(text(page)).toContain('请阅读并勾选承诺');
    expect(wx.__server.count('POST', `${REG}/submit`)).toBe(0);
  });

  test('an incomplete submit marks the missing fields and checklist items', async () => {
    formRoutes({ commitment_accepted: true });
    wx.__server.on('POST', `${REG}/submit`, {
      status: 400,
      body: { error: { code: 'incomplete', message: '报名信息不完整', fields: [] }, missing: { fields: ['education'], items: ['diploma'] } },
    });
    const page = await renderPage('form', { query: { id: '11' } });
    await tap(page, '#submit');
    await flush();
    expect(page.data.errors.education).toBe('请填写文化程度');
    expect(text(page)).toContain('毕业证（必传）：缺少');
  });

  test('unsaved input survives leaving the page and an expired session', async () => {
    formRoutes();
    const first = await renderPage('form', { query: { id: '11' } });
    await fire(first, '#employer', 'change', { value: '岭南科技公司' });
    await fire(first, '#years', 'change', { value: '6' });
    first.detach();

    // The session expires: the server now refuses the old token once.
    let refused = 0;
    const current = registration();
    wx.__server.on('GET', REG, (req) => {
      if (req.header.Authorization === 'Bearer tok-1') {
        refused++;
        return { status: 401, body: { error: { code: 'unauthorized', message: '请先登录' } } };
      }
      return { status: 200, body: current };
    });
    const again = await renderPage('form', { query: { id: '11' } });
    expect(refused).toBe(1);
    expect(wx.login).toHaveBeenCalledTimes(2);
    expect(again.data.form.employer).toBe('岭南科技公司');
    expect(again.data.form.years_in_occupation).toBe('6');
    expect(text(again)).toContain('所在单位：岭南科技公司');

    // Saving sends the kept input and clears the stored draft.
    await tap(again, '#save');
    const put = wx.__server.calls.filter((c) => c.method === 'PUT').pop();
    expect(put.data).toMatchObject({ employer: '岭南科技公司', years_in_occupation: 6 });
    expect(wx.__storage['skillcert.draft.registration-11']).toBeUndefined();
  });

  test('a submitted registration is read-only', async () => {
    formRoutes({ status: 'submitted', status_name: '已提交', editable: false, basis: 'work_years' });
    const page = await renderPage('form', { query: { id: '11' } });
    expect(page.querySelector('#save')).toBeFalsy();
    expect(page.data.locked.employer).toBe(true);
    expect(text(page)).toMatchSnapshot();
  });
});

test('a basis the province does not offer (/meta bases) is not shown', async () => {
  formRoutes({ plan: plan({ level: 5 }) });
  const { META } = require('./helpers/api');
  wx.__server.on('GET', '/api/v1/meta', { status: 200, body: Object.assign({}, META, { bases: [{ code: 'level5', name: '报名五级' }, { code: 'work_years', name: '以工作年限报考' }] }) });
  const page = await renderPage('form', { query: { id: '11' } });
  expect(page.data.bases.map((b) => b.code)).toEqual(['level5', 'work_years']);
});
