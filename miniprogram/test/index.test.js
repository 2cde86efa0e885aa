const { renderPage, text, tap } = require('./helpers/render');
const { baseRoutes } = require('./helpers/api');

describe('首页', () => {
  beforeEach(() => baseRoutes(wx.__server));

  test('shows the service menu of the seed with a notice area', async () => {
    const page = await renderPage('index');
    const out = text(page);
    expect(out).toMatchSnapshot();
    ['培训意向登记', '评价计划查询', '报名码报名', '报名记录查看', '证书进度查询', '外部督导情况反馈'].forEach((t) =>
      expect(out).toContain(t),
    );
    expect(out).toContain('【公告】');
  });

  test('menu items open their pages; the records tab is switched to', async () => {
    const page = await renderPage('index');
    await tap(page, '#menu-register');
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/register/register' });
    await tap(page, '#menu-records');
    expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/records/records' });
  });
});
