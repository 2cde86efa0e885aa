const { renderPage, text, tap, fire } = require('./helpers/render');
const { baseRoutes } = require('./helpers/api');

describe.each([
  ['feedback', '外部督导', '反馈类别'],
  ['training', '培训意向', '意向等级'],
])('%s page before its API exists', (name, _title, field) => {
  beforeEach(() => baseRoutes(wx.__server));

  test('shows the form with a clear 即将开放 state and never pretends to submit', async () => {
    const page = await renderPage(name);
    const out = text(page);
    expect(out).toMatchSnapshot();
    expect(out).toContain('即将开放');
    expect(out).toContain(field);
    expect(page.querySelector('#submit').instance.data.disabled).toBe(true);
    await tap(page, '#submit');
    const posts = wx.__server.calls.filter((c) => c.method !== 'GET' && c.path !== '/api/v1/auth/login');
    expect(posts).toHaveLength(0);
    expect(wx.showToast).not.toHaveBeenCalled();
  });
});

test('the feedback form keeps what is typed', async () => {
  baseRoutes(wx.__server);
  const page = await renderPage('feedback');
  await fire(page, '#content', 'change', { value: '考场未按规定核验身份证件' });
  expect(page.data.form.content).toBe('考场未按规定核验身份证件');
});
