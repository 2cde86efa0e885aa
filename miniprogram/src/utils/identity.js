/** Live feedback for the identity binding form (我的 › 身份信息). */
const { checkIdNumber, GB11643_TYPES } = require('./idcard');

/** Full length of the number, where a type has a fixed one. */
/** @type {Record<string, number>} */
const FIXED_LENGTH = { '01': 18, '02': 18, '05': 18, '04': 8 };

/**
 * What to show under the number while the user types: a soft count until the number
 * is long enough, then the real check, with gender and birth date for GB 11643 types.
 * @param {string} type
 * @param {string} raw
 * @param {Date} [today]
 * @returns {{ error: string, tip: string, gender: string, birthDate: string, ok: boolean }}
 */
function liveIdFeedback(type, raw, today) {
  const v = String(raw || '').trim().toUpperCase();
  const empty = { error: '', tip: '', gender: '', birthDate: '', ok: false };
  if (!v) return empty;
  const full = FIXED_LENGTH[type];
  if (full && v.length < full) {
    if (!/^[0-9A-Za-z]*$/.test(v)) return Object.assign({}, empty, { error: '证件号码只能包含数字和字母' });
    return Object.assign({}, empty, { tip: `已输入 ${v.length} / ${full} 位` });
  }
  const r = checkIdNumber(type, v, today);
  if (!r.ok) return Object.assign({}, empty, { error: r.message });
  return { error: '', tip: '', gender: r.gender, birthDate: r.birthDate, ok: true };
}

/**
 * @param {string} type
 * @returns {boolean} gender and birth date come from the number
 */
function derivesFromNumber(type) {
  return GB11643_TYPES.indexOf(type) >= 0;
}

module.exports = { liveIdFeedback, derivesFromNumber };
