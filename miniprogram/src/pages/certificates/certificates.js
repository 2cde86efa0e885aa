/** 证书进度查询: per registration, the results, the stage timeline and the certificate number. */
const listPage = require('../../behaviors/list-page');
const api = require('../../services/api');
const { loadList } = require('../../utils/ui');
const { beijingTime } = require('../../utils/format');

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
    stages: (c.stages || []).map((/** @type {any} */ s) => ({
      code: s.code,
      name: s.name,
      reached: !!s.reached_at,
      time: s.reached_at ? beijingTime(s.reached_at) : '待完成',
    })),
    cert_no: c.cert_no || '',
    hint: c.national_query_hint || '',
  };
}

Component({
  behaviors: [listPage],
  methods: {
    load() {
      return loadList(this, () => api.certificates(), certificateItem);
    },
  },
});
