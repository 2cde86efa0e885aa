/** Display helpers shared by the pages. */

const LEVEL_NAMES = ['', '一级/高级技师', '二级/技师', '三级/高级工', '四级/中级工', '五级/初级工'];

/**
 * Registration status → colour tone. Codes beyond `draft` are matched by their Chinese
 * name too, so a new server code with a known name still gets the right colour.
 * @type {{ codes: string[], names: string[], tone: string }[]}
 */
const STATUS_TONES = [
  { codes: ['draft'], names: ['已保存', '未提交'], tone: 'default' },
  { codes: ['submitted', 'pending'], names: ['已提交', '待审核'], tone: 'primary' },
  { codes: ['approved'], names: ['审核通过'], tone: 'success' },
  { codes: ['returned'], names: ['退回修改'], tone: 'warning' },
  { codes: ['rejected'], names: ['审核不通过'], tone: 'danger' },
  { codes: ['cancelled', 'canceled', 'withdrawn'], names: ['已撤销', '已取消'], tone: 'default' },
];

/**
 * @param {string} status
 * @param {string} [statusName]
 * @returns {string} a t-tag theme
 */
function statusTone(status, statusName) {
  const hit = STATUS_TONES.find(
    (t) => t.codes.indexOf(status) >= 0 || (!!statusName && t.names.indexOf(statusName) >= 0),
  );
  return hit ? hit.tone : 'default';
}

/**
 * @param {string} status
 * @param {string} [statusName]
 * @returns {boolean} the registration was sent back for changes
 */
function isReturned(status, statusName) {
  return status === 'returned' || statusName === '退回修改';
}

/**
 * @param {string} status
 * @param {string} [statusName]
 * @returns {boolean} submitted and waiting for review
 */
function isSubmitted(status, statusName) {
  return statusTone(status, statusName) === 'primary';
}

/**
 * @param {number|string} level
 * @returns {string}
 */
function levelName(level) {
  return LEVEL_NAMES[Number(level)] || '';
}

/** @param {number} n */
function pad2(n) {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * RFC 3339 UTC time → Beijing "YYYY-MM-DD HH:mm".
 * @param {string|null|undefined} iso
 * @returns {string}
 */
function beijingTime(iso) {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return String(iso);
  const d = new Date(t + 8 * 3600 * 1000);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(
    d.getUTCHours(),
  )}:${pad2(d.getUTCMinutes())}`;
}

/**
 * @param {{ city?: string, district?: string, address?: string } | null | undefined} loc
 * @returns {string}
 */
function locationText(loc) {
  if (!loc) return '';
  return [loc.city, loc.district, loc.address].filter(Boolean).join('');
}

/**
 * @param {string|number|null|undefined} v
 * @returns {string} the value or a dash
 */
function orDash(v) {
  return v === null || v === undefined || v === '' ? '—' : String(v);
}

/**
 * @param {{ code: string, name: string }[]} list
 * @param {string} code
 * @returns {string}
 */
function nameOf(list, code) {
  const hit = (list || []).find((o) => o.code === String(code));
  return hit ? hit.name : '';
}

module.exports = {
  statusTone,
  isReturned,
  isSubmitted,
  levelName,
  beijingTime,
  locationText,
  orDash,
  nameOf,
};
