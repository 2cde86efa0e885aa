/**
 * Identity document checks (DOMAIN.md, 证件类型). Types 01, 02 and 05 carry an
 * 18-character GB 11643 number from which birth date and gender are derived.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/** Types whose number follows GB 11643. */
const GB11643_TYPES = ['01', '02', '05'];

/**
 * @param {string} first17 the first 17 digits
 * @returns {string} the expected 18th character
 */
function checkChar(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/**
 * @param {string} ymd YYYYMMDD
 * @param {Date} today
 * @returns {boolean} a real calendar date, not in the future
 */
function isRealPastDate(ymd, today) {
  const y = Number(ymd.slice(0, 4));
  const m = Number(ymd.slice(4, 6));
  const d = Number(ymd.slice(6, 8));
  if (y < 1800 || m < 1 || m > 12 || d < 1) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return false;
  }
  const todayUtc = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  return date.getTime() <= todayUtc;
}

/**
 * @typedef {{ ok: boolean, message: string, birthDate: string, gender: string }} IdCheck
 */

/**
 * Checks an 18-character GB 11643 number.
 * @param {string} value
 * @param {Date} [today]
 * @returns {IdCheck}
 */
function checkGb11643(value, today = new Date()) {
  const v = String(value || '').trim().toUpperCase();
  const fail = (/** @type {string} */ message) => ({ ok: false, message, birthDate: '', gender: '' });
  if (v.length !== 18) return fail('证件号码应为18位');
  if (!/^\d{17}[\dX]$/.test(v)) return fail('证件号码格式不正确');
  const ymd = v.slice(6, 14);
  if (!isRealPastDate(ymd, today)) return fail('证件号码中的出生日期不正确');
  if (checkChar(v.slice(0, 17)) !== v[17]) return fail('证件号码校验位不正确');
  return {
    ok: true,
    message: '',
    birthDate: `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`,
    gender: Number(v[16]) % 2 === 1 ? '男' : '女',
  };
}

/**
 * Validates a document number for its type, as the user types.
 * @param {string} type id type code 01..06
 * @param {string} value
 * @param {Date} [today]
 * @returns {IdCheck}
 */
function checkIdNumber(type, value, today = new Date()) {
  const v = String(value || '').trim().toUpperCase();
  const ok = { ok: true, message: '', birthDate: '', gender: '' };
  const fail = (/** @type {string} */ message) => ({ ok: false, message, birthDate: '', gender: '' });
  if (!v) return fail('请输入证件号码');
  switch (type) {
    case '01':
      return checkGb11643(v, today);
    case '02': {
      const r = checkGb11643(v, today);
      if (r.ok && !/^8[123]0000/.test(v)) return fail('港澳台居民居住证号码应以810000、820000或830000开头');
      return r;
    }
    case '05': {
      const r = checkGb11643(v, today);
      if (r.ok && v[0] !== '9') return fail('外国人永久居留身份证号码应以9开头');
      return r;
    }
    case '03':
      return /^[HM](\d{8}|\d{10})$/.test(v) ? ok : fail('通行证号码应为H或M加8位或10位数字');
    case '04':
      return /^\d{8}$/.test(v) ? ok : fail('台湾居民来往大陆通行证号码应为8位数字');
    case '06':
      return /^[A-Z0-9]{5,20}$/.test(v) ? ok : fail('护照号码应为5至20位字母或数字');
    default:
      return fail('请选择证件类型');
  }
}

module.exports = { checkGb11643, checkIdNumber, checkChar, GB11643_TYPES };
