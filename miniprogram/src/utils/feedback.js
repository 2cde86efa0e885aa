/** 外部督导情况反馈: local checks, the request body, and how a sent feedback is shown. */
const { phoneError } = require('./validate');
const { beijingTime } = require('./format');

const CONTENT_MIN = 10;
const CONTENT_MAX = 500;
const MAX_IMAGES = 3;
/** The picker entry that switches to typing a plan number. */
const BY_PLAN_NO = 'plan_no';

/** Feedback status → t-tag theme. */
/** @type {Record<string, string>} */
const TONES = { submitted: 'primary', processing: 'warning', closed: 'success' };

/**
 * @typedef {{ target: string, plan_no: string, category: string, content: string,
 *   anonymous: boolean, contact_pref: string, contact_phone: string }} FeedbackForm
 */

/** @returns {FeedbackForm} */
function emptyForm() {
  return { target: '', plan_no: '', category: '', content: '', anonymous: false, contact_pref: 'in_app', contact_phone: '' };
}

/** @param {string} s */
function cleanPhone(s) {
  return String(s || '').replace(/[\s-]/g, '');
}

/**
 * The checks the server makes too, so most mistakes show before sending.
 * @param {FeedbackForm} form
 * @returns {Record<string, string>} field → message
 */
function localErrors(form) {
  /** @type {Record<string, string>} */
  const errors = {};
  if (!form.target) errors.plan_no = '请选择要反馈的报名记录，或填写评价计划编号';
  else if (form.target === BY_PLAN_NO && !form.plan_no.trim()) errors.plan_no = '请填写评价计划编号';
  if (!form.category) errors.category = '请选择反馈类别';
  const n = form.content.trim().length;
  if (n < CONTENT_MIN) errors.content = `反馈内容至少${CONTENT_MIN}个字，请描述具体情况`;
  else if (n > CONTENT_MAX) errors.content = `反馈内容最多${CONTENT_MAX}个字`;
  if (!form.anonymous && form.contact_pref === 'phone') {
    const e = phoneError(cleanPhone(form.contact_phone));
    if (e) errors.contact_phone = e;
  }
  return errors;
}

/**
 * The body of POST /api/v1/feedback. Anonymous feedback carries no contact.
 * @param {FeedbackForm} form
 * @returns {Record<string, any>}
 */
function toPayload(form) {
  /** @type {Record<string, any>} */
  const body = { category: form.category, content: form.content.trim(), anonymous: !!form.anonymous };
  if (form.target === BY_PLAN_NO) body.plan_no = form.plan_no.trim();
  else body.registration_id = Number(form.target);
  body.contact_pref = form.anonymous ? 'in_app' : form.contact_pref || 'in_app';
  if (body.contact_pref === 'phone') body.contact_phone = cleanPhone(form.contact_phone);
  return body;
}

/**
 * Registrations → the entries of the 反馈对象 picker, with typing a plan number last.
 * @param {any[]} registrations
 * @returns {{ code: string, name: string }[]}
 */
function targetOptions(registrations) {
  const out = (registrations || []).map((r) => {
    const p = r.plan || {};
    return { code: String(r.id), name: `${p.plan_no || ''} ${p.occupation_name || ''}（${p.level_name || ''}）` };
  });
  out.push({ code: BY_PLAN_NO, name: '其他评价计划（填写计划编号）' });
  return out;
}

/**
 * "2张图片", and which were refused by WeChat's content check (not shown to the
 * supervisor).
 * @param {any[]} images
 * @returns {string}
 */
function imagesText(images) {
  if (!images.length) return '';
  const risky = images.filter((im) => im.check_status === 'risky').map((im) => `图片${im.seq}`);
  if (!risky.length) return `${images.length}张图片`;
  return `${images.length}张图片（${risky.join('、')}未通过内容安全检测，不会提交给监管部门）`;
}

/**
 * A sent feedback as the list shows it.
 * @param {any} f Feedback
 */
function feedbackItem(f) {
  const p = f.plan || {};
  const images = f.images || [];
  return {
    id: f.id,
    title: `${f.category_name || ''} · ${p.plan_no || ''}`,
    plan: `${p.occupation_name || ''} ${p.level_name || ''} · ${p.institution_name || ''}`,
    status_name: f.status_name || '',
    tone: TONES[f.status] || 'default',
    content: f.content || '',
    images: imagesText(images),
    anonymous: !!f.anonymous,
    created: beijingTime(f.created_at),
    reply: f.reply || '',
    replied: beijingTime(f.replied_at),
  };
}

module.exports = { CONTENT_MAX, MAX_IMAGES, BY_PLAN_NO, emptyForm, localErrors, toPayload, targetOptions, feedbackItem };
