/** Field checks shared by the forms (DOMAIN.md, form enumerations). */

const CODE_LENGTH = 8;
const EMPLOYER_MAX = 25;

/**
 * Normalises registration-code input: upper case, no spaces.
 * @param {string} raw
 * @returns {string}
 */
function normalizeCode(raw) {
  return String(raw || '').replace(/\s+/g, '').toUpperCase().slice(0, CODE_LENGTH);
}

/**
 * @param {string} code already normalised
 * @returns {boolean} whether the code has its full length
 */
function isCompleteCode(code) {
  return code.length === CODE_LENGTH;
}

/**
 * @param {string} phone
 * @returns {string} an error message, or '' when valid
 */
function phoneError(phone) {
  if (!phone) return '';
  return /^1\d{10}$/.test(phone) ? '' : '手机号码应为以1开头的11位数字';
}

/**
 * @param {string|number|null|undefined} years
 * @returns {string}
 */
function yearsError(years) {
  if (years === '' || years === null || years === undefined) return '';
  const s = String(years);
  if (!/^\d+$/.test(s)) return '从业年限应为整数';
  const n = Number(s);
  return n >= 0 && n <= 60 ? '' : '从业年限应在0到60年之间';
}

/**
 * @param {string} employer
 * @returns {string}
 */
function employerError(employer) {
  return String(employer || '').length > EMPLOYER_MAX ? `所在单位不能超过${EMPLOYER_MAX}个字` : '';
}

/**
 * @param {string} name
 * @returns {string}
 */
function nameError(name) {
  const v = String(name || '').trim();
  if (!v) return '请输入姓名';
  return v.length > 50 ? '姓名过长' : '';
}

module.exports = {
  CODE_LENGTH,
  EMPLOYER_MAX,
  normalizeCode,
  isCompleteCode,
  phoneError,
  yearsError,
  employerError,
  nameError,
};
