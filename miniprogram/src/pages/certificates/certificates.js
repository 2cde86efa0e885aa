/** 证书进度查询: per registration, the results, the stage timeline and the certificate number. */
const listPage = require('../../behaviors/list-page');
const api = require('../../services/api');
const { loadList } = require('../../utils/ui');
const { beijingTime } = require('../../utils/format');
const { explainDenied } = require('../../services/privacy');

/** @param {any} r a result */
function resultRow(r) {
  const pass = r.result === 'pass' || r.result === '合格';
  const fail = r.result === 'fail' || r.result === '不合格';
  const label = pass ? '合格' : fail ? '不合格' : String(r.result || '待公布');
  const score = r.score === null || r.score === undefined ? '' : `（${r.score}分）`;
  return { subject: r.subject, subject_name: r.subject_name, text: label + score, tone: pass ? 'success' : fail ? 'danger' : 'default' };
}

/** @param {any} c Certificate */
function certificateItem(c) {
  const p = c.plan || {};
  return {
    id: c.registration_id,
    title: `${p.occupation_name || ''} · ${p.level_name || ''}`,
    institution: p.institution_name || '',
    results: (c.results || []).map(resultRow),
    // The API's reached flag is the truth: a stage the institution passed over
    // on the way to a later one is done, though it has no time of its own.
    stages: (c.stages || []).map((/** @type {any} */ s) => {
      const reached = s.reached === true || (s.reached === undefined && !!s.reached_at);
      return {
        code: s.code,
        name: s.name,
        reached,
        time: s.reached_at ? beijingTime(s.reached_at) : reached ? '已完成' : '待完成',
      };
    }),
    cert_no: c.cert_no || '',
    hint: c.national_query_hint || '',
    query: nationalQuery(c.national_query),
  };
}

/** @param {any} q the API's national_query, or null before national reporting */
function nationalQuery(q) {
  if (!q || !q.url) return null;
  return {
    name: q.name || '技能人才评价证书全国联网查询',
    url: q.url,
    site: String(q.url).replace(/^https?:\/\//, '').replace(/\/$/, ''),
    fields: (q.fields || []).map((/** @type {any} */ f) => ({ name: f.name, value: f.value || '' })),
  };
}

Component({
  behaviors: [listPage],
  methods: {
    load() {
      return loadList(this, () => api.certificates(), certificateItem);
    },
    /** Copies the national query's address (a mini-program cannot open outside sites). */
    copyQuery(/** @type {any} */ e) {
      const url = e.currentTarget.dataset.url;
      wx.setClipboardData({
        data: url,
        success: () => wx.showToast({ title: '网址已复制，请在浏览器中打开', icon: 'none' }),
        fail: (err) => explainDenied(err),
      });
    },
  },
});
