/**
 * 准考证: the admission ticket of one registration — name, masked ID, photo,
 * plan, each session's time, venue, room and seat, the rules, and the QR code
 * staff scan at check-in; 保存为图片 draws it on a canvas and saves it to the album.
 */
const api = require('../../services/api');
const { messageOf } = require('../../services/errors');
const { beijingTime } = require('../../utils/format');
const { toastError, toastOk } = require('../../utils/ui');
const { explainDenied } = require('../../services/privacy');
const { url } = require('../../services/transport');
const { ensureToken } = require('../../services/auth');
const { drawTicket, TICKET_WIDTH, ticketHeight } = require('../../utils/ticket-image');

/** @param {any} s a ticket session */
function sessionItem(s) {
  return {
    key: `${s.subject}-${s.session_id}`,
    title: `${s.subject_name} ${s.date} ${s.start_time}–${s.end_time}`,
    place: s.venue,
    seat: `${s.room} ${s.seat_no}号`,
  };
}

Component({
  data: {
    id: '',
    state: 'loading',
    errorText: '',
    t: /** @type {any} */ ({ plan: {}, rules: [] }),
    occupation: '',
    photo: '',
    sessions: /** @type {any[]} */ ([]),
    expires: '',
    saving: false,
    canvasW: TICKET_WIDTH,
    canvasH: 900,
  },
  methods: {
    /** @param {Record<string, string>} query */
    onLoad(query) {
      this.setData({ id: String(query.id || '') });
      return this.load();
    },
    async load() {
      this.setData({ state: 'loading' });
      try {
        const t = await api.ticket(this.data.id);
        const p = t.plan || {};
        this.setData({
          state: 'ready',
          t,
          occupation: p.work_type && p.work_type !== '无' ? `${p.occupation_name}（${p.work_type}）` : p.occupation_name || '',
          photo: '',
          sessions: (t.sessions || []).map(sessionItem),
          expires: beijingTime(t.token_expires_at),
          canvasH: ticketHeight(t),
        });
        if (t.photo_url) this.loadPhoto(t.photo_url);
      } catch (err) {
        this.setData({ state: 'error', errorText: messageOf(err) });
      }
    },
    /**
     * Downloads the registration's photo (an attachment: it needs the session
     * token, which an image src cannot send); the placeholder stays on failure.
     * @param {string} path
     */
    async loadPhoto(path) {
      try {
        const token = await ensureToken();
        wx.downloadFile({
          url: url(path),
          header: { Authorization: `Bearer ${token}` },
          success: (r) => {
            if (r.statusCode === 200) this.setData({ photo: r.tempFilePath });
          },
        });
      } catch (_) {
        // keep the placeholder
      }
    },
    /** The canvas node to draw on (a 2d canvas of the page). */
    canvasNode() {
      return new Promise((resolve, reject) => {
        this.createSelectorQuery()
          .select('#ticket-canvas')
          .fields({ node: true, size: true })
          .exec((/** @type {any[]} */ res) => (res && res[0] && res[0].node ? resolve(res[0].node) : reject(new Error('no canvas'))));
      });
    },
    async onSave() {
      if (this.data.saving) return;
      this.setData({ saving: true });
      try {
        const canvas = await this.canvasNode();
        await drawTicket(canvas, this.data.t);
        const file = await new Promise((resolve, reject) =>
          wx.canvasToTempFilePath({ canvas, success: (r) => resolve(r.tempFilePath), fail: reject }));
        await new Promise((resolve, reject) => wx.saveImageToPhotosAlbum({ filePath: file, success: resolve, fail: reject }));
        toastOk('已保存到相册');
      } catch (err) {
        const msg = err && /** @type {any} */ (err).errMsg;
        if (explainDenied(err)) {
          // declined the privacy guide: explained
        } else if (msg && /auth|deny/.test(msg)) {
          wx.showModal({ title: '无法保存', content: '请在设置中允许“保存到相册”后重试，或截屏保存准考证。', showCancel: false });
        } else {
          toastError(err);
        }
      } finally {
        this.setData({ saving: false });
      }
    },
  },
});
