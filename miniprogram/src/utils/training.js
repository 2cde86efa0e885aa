/** 培训意向登记: local checks, the request body, and how an intention is shown. */
const { phoneError } = require('./validate');
const { beijingTime } = require('./format');

const PREFERRED_TIME_MAX = 30;
const NOTE_MAX = 200;

/**
 * @typedef {{ occupation: string, level: string, city: string, preferred_time: string,
 *   phone: string, note: string, contact_consent: boolean }} IntentionForm
 */

/** @returns {IntentionForm} */
function emptyForm() {
  return { occupation: '', level: '', city: '', preferred_time: '', phone: '', note: '', contact_consent: false };
}

/** @param {string} s */
function cleanPhone(s) {
  return String(s || '').replace(/[\s-]/g, '');
}

/**
 * @param {IntentionForm} form
 * @param {boolean} hasBoundPhone an empty phone then means the bound one
 * @returns {Record<string, string>} field → message
 */
function localErrors(form, hasBoundPhone) {
  /** @type {Record<string, string>} */
  const errors = {};
  if (!form.occupation) errors.occupation = '请选择职业';
  if (!form.level) errors.level = '请选择意向等级';
  if (!form.city) errors.city = '请选择培训城市';
  if (form.preferred_time.trim().length > PREFERRED_TIME_MAX) errors.preferred_time = `期望培训时间最多${PREFERRED_TIME_MAX}个字`;
  if (form.note.trim().length > NOTE_MAX) errors.note = `备注最多${NOTE_MAX}个字`;
  const phone = cleanPhone(form.phone);
  if (!phone && !hasBoundPhone) errors.phone = '请填写手机号码，或使用微信手机号';
  else if (phone) {
    const e = phoneError(phone);
    if (e) errors.phone = e;
  }
  return errors;
}

/**
 * The body of POST /api/v1/training-intentions (an empty phone: the bound one).
 * @param {IntentionForm} form
 */
function toPayload(form) {
  return {
    occupation: form.occupation,
    level: Number(form.level),
    city: form.city,
    preferred_time: form.preferred_time.trim(),
    phone: cleanPhone(form.phone),
    note: form.note.trim(),
    contact_consent: !!form.contact_consent,
  };
}

/**
 * An intention as the list shows it.
 * @param {any} v Intention
 */
function intentionItem(v) {
  return {
    id: v.id,
    title: `${v.occupation || ''} · ${v.level_name || ''}`,
    city: v.city || '',
    preferred_time: v.preferred_time || '不限',
    phone: v.phone_masked || '',
    consent: v.contact_consent ? '同意培训机构联系' : '不接受培训机构联系',
    note: v.note || '',
    created: beijingTime(v.created_at),
  };
}

module.exports = { PREFERRED_TIME_MAX, NOTE_MAX, emptyForm, localErrors, toPayload, intentionItem };
