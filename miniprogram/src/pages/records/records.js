/** 报名记录: the candidate's registrations, newest first, coloured by status. */
const listPage = require('../../behaviors/list-page');
const api = require('../../services/api');
const { statusTone, isReturned, beijingTime } = require('../../utils/format');
const { dataOf, loadList } = require('../../utils/ui');

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
  behaviors: [listPage],
  methods: {
    load() {
      return loadList(this, () => api.registrations(), recordItem);
    },
    /** @param {any} e */
    onOpen(e) {
      wx.navigateTo({ url: `/pages/record/record?id=${dataOf(e, 'id')}` });
    },
  },
});
