/** 报名详情: one registration, with 撤销 and, when sent back (退回修改), 修改. */
const api = require('../../services/api');
const { loadMeta } = require('../../services/meta');
const { messageOf } = require('../../services/errors');
const { statusTone, isReturned, beijingTime, nameOf, orDash } = require('../../utils/format');
const { planConfirmRows } = require('../../utils/plan');
const { findBasis } = require('../../utils/basis');
const { LABELS } = require('../../utils/regform');
const { confirm, toastError, toastOk, dataOf } = require('../../utils/ui');
const { openFile } = require('../../services/download');

/** Statuses from which the candidate may still withdraw. */
const CANCELLABLE = ['default', 'primary', 'warning'];

/**
 * @param {any} r Registration
 * @param {Record<string, any>} meta
 */
function formRows(r, meta) {
  const basis = findBasis(meta, r.basis);
  return [
    { k: '报考依据', v: orDash(basis ? basis.name : r.basis) },
    { k: '文化程度', v: orDash(nameOf(meta.education, r.education)) },
    { k: '从业年限', v: orDash(r.years_in_occupation) },
    { k: '考生来源', v: orDash(nameOf(meta.candidate_sources, r.candidate_source)) },
    { k: '劳务关系', v: orDash(nameOf(meta.labor_relations, r.labor_relation)) },
    { k: '手机号码', v: orDash(r.phone) },
    { k: '所在单位', v: orDash(r.employer) },
  ];
}

Component({
  data: {
    id: '',
    state: 'loading',
    errorText: '',
    title: '',
    statusName: '',
    tone: 'default',
    submittedAt: '',
    reviewedAt: '',
    reviewNote: '',
    returnFields: '',
    planRows: /** @type {{k: string, v: string}[]} */ ([]),
    formRows: /** @type {{k: string, v: string}[]} */ ([]),
    canCancel: false,
    canEdit: false,
    editLabel: '修改',
    busy: false,
    files: /** @type {{id: number, name: string, item: string, time: string}[]} */ ([]),
  },
  methods: {
    /** @param {Record<string, string>} query */
    onLoad(query) {
      this.setData({ id: String(query.id || '') });
    },
    onShow() {
      return this.load();
    },
    async load() {
      try {
        const [meta, r, files] = await Promise.all([loadMeta(), api.registration(this.data.id),
          api.attachments(this.data.id).catch(() => ({ items: [] }))]);
        this.show(r, meta);
        this.setData({
          files: ((files && files.items) || []).map((/** @type {any} */ a) => ({
            id: a.id, name: a.file_name, item: a.item_name || a.item || '', time: beijingTime(a.uploaded_at),
          })),
        });
      } catch (err) {
        this.setData({ state: 'error', errorText: messageOf(err) });
      }
    },
    /**
     * @param {any} r
     * @param {Record<string, any>} meta
     */
    show(r, meta) {
      const p = r.plan || {};
      const tone = statusTone(r.status, r.status_name);
      const returned = isReturned(r.status, r.status_name);
      this.setData({
        state: 'ready',
        title: `${p.occupation_name || ''} · ${p.level_name || ''}`,
        statusName: r.status_name || '',
        tone,
        submittedAt: beijingTime(r.submitted_at),
        reviewedAt: beijingTime(r.reviewed_at),
        reviewNote: r.review_note || '',
        returnFields: (r.return_fields || []).map((/** @type {string} */ f) => LABELS[f] || f).join('、'),
        planRows: planConfirmRows(p),
        formRows: formRows(r, meta),
        canCancel: CANCELLABLE.indexOf(tone) >= 0 && r.status !== 'cancelled',
        canEdit: returned || !!r.editable,
        editLabel: returned ? '修改' : '继续填写',
      });
    },
    async onCancel() {
      if (this.data.busy) return;
      const ok = await confirm('撤销报名', '撤销后将释放报名名额，如需再次报名须重新提交。确定撤销吗？', '撤销');
      if (!ok) return;
      this.setData({ busy: true });
      try {
        const r = await api.cancelRegistration(this.data.id);
        this.show(r, await loadMeta());
        toastOk('已撤销');
      } catch (err) {
        toastError(err);
      } finally {
        this.setData({ busy: false });
      }
    },
    /** @param {any} e a tap on an attachment */
    async onOpenFile(e) {
      const aid = dataOf(e, 'id');
      const name = dataOf(e, 'name');
      wx.showLoading({ title: '正在打开' });
      try {
        await openFile(`${api.attachmentPath(this.data.id)}/${aid}`, name);
      } catch (err) {
        toastError(err);
      } finally {
        wx.hideLoading();
      }
    },
    onEdit() {
      wx.navigateTo({ url: `/pages/form/form?id=${this.data.id}` });
    },
  },
});
