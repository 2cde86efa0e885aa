/** 报名记录: the candidate's registrations, newest first, coloured by status. */
const api = require('../../services/api');
const { messageOf } = require('../../services/errors');
const { statusTone, isReturned, beijingTime } = require('../../utils/format');
const { dataOf } = require('../../utils/ui');

/** @param {any} r Registration */
function recordItem(r) {
  const p = r.plan || {};
  return {
    id: r.id,
    title: `${p.occupation_name || ''} · ${p.level_name || ''}`,
    status_name: r.status_name || '',
    tone: statusTone(r.status, r.status_name),
    plan_no: p.plan_no || '',
    institution: p.institution_name || '',
    eval_date: p.eval_start === p.eval_end ? p.eval_start || '' : `${p.eval_start} 至 ${p.eval_end}`,
    updated: beijingTime(r.updated_at),
    returned: isReturned(r.status, r.status_name),
    review_note: r.review_note || '',
  };
}

Component({
  data: {
    state: 'loading',
    errorText: '',
    items: /** @type {any[]} */ ([]),
  },
  methods: {
    onShow() {
      return this.load();
    },
    async load() {
      if (!this.data.items.length) this.setData({ state: 'loading' });
      try {
        const res = await api.registrations();
        const items = (res.items || []).map(recordItem);
        this.setData({ items, state: items.length ? 'ready' : 'empty' });
      } catch (err) {
        this.setData({ state: 'error', errorText: messageOf(err) });
      }
    },
    async onPullDownRefresh() {
      await this.load();
      wx.stopPullDownRefresh();
    },
    /** @param {any} e */
    onOpen(e) {
      wx.navigateTo({ url: `/pages/record/record?id=${dataOf(e, 'id')}` });
    },
  },
});
