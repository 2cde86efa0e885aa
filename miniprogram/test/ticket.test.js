const { renderPage, text } = require('./helpers/render');
const { baseRoutes } = require('./helpers/api');

const QR = 'data:image/png;base64,iVBORw0KGgo=';

function ticket(over) {
  return Object.assign({
    registration_id: 11,
    ticket_no: '2501-00012',
    name: '王小明',
    id_type: '01',
    id_type_name: '居民身份证',
    id_number: '110105********002X',
    photo_url: '',
    plan: { id: 1, plan_no: '2501', plan_name: '2025年人工智能训练师（二级/技师）认定', occupation_name: '人工智能训练师',
      work_type: '无', level: 2, level_name: '二级/技师', institution_name: '广东岭南现代技师学院' },
    sessions: [
      { session_id: 3, subject: 'theory', subject_name: '理论', date: '2026-12-20', start_time: '09:00', end_time: '10:30',
        venue: '广州市天河区龙洞东路1号实训楼', room: '第3考场', seat_no: 12 },
      { session_id: 5, subject: 'practical', subject_name: '实操', date: '2026-12-20', start_time: '14:00', end_time: '16:00',
        venue: '广州市天河区龙洞东路1号实训楼', room: '实训室A', seat_no: 4 },
    ],
    rules: ['请携带报名时使用的有效证件（居民身份证）原件和本准考证参加评价。', '请于每场开考前30分钟到达考点。'],
    qr_token: 'ZKZ1.abc.def',
    qr_png: QR,
    token_expires_at: '2026-12-21T16:00:00Z',
  }, over || {});
}

/** A 2d canvas node that records what is drawn. */
function fakeCanvas() {
  const calls = [];
  const ctx = new Proxy({}, {
    get: (_, k) => (k === 'measureText' ? (s) => ({ width: String(s).length * 22 })
      : (...args) => calls.push([k, ...args])),
    set: () => true,
  });
  return {
    calls,
    getContext: () => ctx,
    createImage: () => {
      const img = {};
      Object.defineProperty(img, 'src', { set(v) { img._src = v; setTimeout(() => img.onload(), 0); } });
      return img;
    },
  };
}

describe('准考证', () => {
  beforeEach(() => baseRoutes(wx.__server));

  test('shows the ticket: number, masked ID, each session with room and seat, rules and the QR code', async () => {
    wx.__server.on('GET', '/api/v1/registrations/11/ticket', { status: 200, body: ticket() });
    const page = await renderPage('ticket', { query: { id: '11' } });
    const out = text(page);
    expect(out).toMatchSnapshot();
    expect(out).toContain('准考证号 2501-00012');
    expect(out).toContain('居民身份证 110105********002X');
    expect(out).toContain('理论 2026-12-20 09:00–10:30');
    expect(out).toContain('第3考场 12号');
    expect(out).toContain('实训室A 4号');
    expect(out).toContain('照片'); // no photo: the placeholder
    expect(out).toContain('1. 请携带报名时使用的有效证件（居民身份证）原件');
    expect(page.querySelector('.qr')).toBeTruthy();
    expect(page.instance.data.t.qr_png).toBe(QR);
    expect(out).not.toContain('11010519491231002X');
  });

  test('保存为图片 draws the ticket and saves it to the album', async () => {
    wx.__server.on('GET', '/api/v1/registrations/11/ticket', { status: 200, body: ticket() });
    const page = await renderPage('ticket', { query: { id: '11' } });
    const canvas = fakeCanvas();
    page.instance.canvasNode = () => Promise.resolve(canvas);
    wx.canvasToTempFilePath = jest.fn((o) => o.success({ tempFilePath: 'wxfile://ticket.png' }));
    wx.saveImageToPhotosAlbum = jest.fn((o) => o.success({}));
    await page.instance.onSave();
    const drawn = canvas.calls.filter((c) => c[0] === 'fillText').map((c) => c[1]).join('\n');
    expect(drawn).toContain('职业技能等级认定准考证');
    expect(drawn).toContain('2501-00012');
    expect(drawn).toContain('第3考场 12号');
    expect(canvas.calls.some((c) => c[0] === 'drawImage')).toBe(true);
    expect(wx.saveImageToPhotosAlbum).toHaveBeenCalledWith(expect.objectContaining({ filePath: 'wxfile://ticket.png' }));
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已保存到相册' }));
  });

  test('not issued yet: the server\'s message', async () => {
    wx.__server.on('GET', '/api/v1/registrations/12/ticket', {
      status: 404, body: { error: { code: 'ticket_not_found', message: '准考证尚未发放或已失效', field: '' } },
    });
    const page = await renderPage('ticket', { query: { id: '12' } });
    expect(text(page)).toContain('准考证尚未发放或已失效');
  });
});
