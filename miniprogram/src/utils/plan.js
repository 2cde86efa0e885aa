/** View models for an evaluation plan (DOMAIN.md: the fields a candidate must be shown). */
const { locationText, orDash, statusTone } = require('./format');

/** @typedef {{ k: string, v: string }} Row */

/**
 * A search-list card: the seed's list columns.
 * @param {any} p PlanItem
 */
function planCard(p) {
  return {
    id: p.id,
    plan_name: p.plan_name,
    status_name: p.status_name || '',
    tone: p.status === 'open' ? 'success' : p.status === 'upcoming' ? 'primary' : 'default',
    contact_phone: p.contact_phone || '',
    /** @type {Row[]} */
    rows: [
      { k: '考试地点', v: orDash(locationText(p.location)) },
      { k: '职业名称', v: orDash(p.occupation_name) },
      { k: '工种名称', v: orDash(p.work_type) },
      { k: '级别', v: orDash(p.level_name) },
      { k: '报名时间', v: `${orDash(p.reg_start)} 至 ${orDash(p.reg_deadline)}` },
      { k: '评价机构', v: orDash(p.institution_name) },
      { k: '联系人', v: `${orDash(p.contact_name)} ${p.contact_phone || ''}`.trim() },
      { k: '剩余名额', v: `${p.seats_left} / ${p.seats_total}` },
    ],
  };
}

/**
 * The confirmation table of the seed's step four, plus seats left.
 * @param {any} p PlanItem
 * @param {number} [seatsLeft]
 * @returns {Row[]}
 */
function planConfirmRows(p, seatsLeft) {
  return [
    { k: '评价计划编号', v: orDash(p.plan_no) },
    { k: '评价机构名称', v: orDash(p.institution_name) },
    { k: '职业名称', v: orDash(p.occupation_name) },
    { k: '工种名称', v: orDash(p.work_type) },
    { k: '评价等级', v: orDash(p.level_name) },
    { k: '最大允许报名人数', v: orDash(p.seats_total) },
    { k: '剩余名额', v: orDash(seatsLeft === undefined ? p.seats_left : seatsLeft) },
    { k: '评价开始日期', v: orDash(p.eval_start) },
    { k: '评价结束日期', v: orDash(p.eval_end) },
    { k: '报名截止日期', v: orDash(p.reg_deadline) },
    { k: '评价业务联系人', v: orDash(p.contact_name) },
    { k: '联系电话', v: orDash(p.contact_phone) },
    { k: '业务监管地', v: orDash(p.supervision_region) },
    { k: '考试地点', v: orDash(locationText(p.location)) },
  ];
}

module.exports = { planCard, planConfirmRows, statusTone };
