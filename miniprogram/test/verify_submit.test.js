const { renderPage, flush } = require('./helpers/render');
const { baseRoutes, registration } = require('./helpers/api');

const REG = '/api/v1/registrations/11';

test('提交 refused for an unverified identity leads to 实名核验', async () => {
  const server = baseRoutes(wx.__server);
  const current = registration({ commitment_accepted: true });
  server.on('GET', REG, { status: 200, body: current });
  server.on('PUT', REG, (req) => ({ status: 200, body: Object.assign({}, current, req.data) }));
  server.on('GET', `${REG}/checklist`, { status: 200, body: { items: [] } });
  server.on('GET', `${REG}/attachments`, { status: 200, body: { items: [] } });
  server.on('POST', '/api/v1/me/subscriptions', { status: 200, body: { credits: {} } });
  server.on('POST', `${REG}/submit`, {
    status: 409,
    body: { error: { code: 'identity_unverified', message: '本次报名要求先完成实名核验：请到“我的—实名核验”完成人脸核验后再提交', field: '' } },
  });
  const page = await renderPage('form', { query: { id: '11' } });
  page.instance.onSubmit();
  await flush(12);
  expect(wx.showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '需要实名核验', confirmText: '去核验' }));
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/verify/verify' });
});
