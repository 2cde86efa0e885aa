/**
 * The registration form (考生报名) as plain data: server Registration ↔ form values,
 * local checks, picker state, locks and the attachment table.
 */
const { findBasis } = require('./basis');
const { phoneError, yearsError, employerError } = require('./validate');
const { beijingTime } = require('./format');

/** Fields the candidate edits (PUT /registrations/{id}). */
const FIELDS = [
  'basis',
  'education',
  'years_in_occupation',
  'candidate_source',
  'labor_relation',
  'phone',
  'employer',
  'commitment_accepted',
];

/** Pickers: form field → meta list. */
const PICKERS = {
  education: 'education',
  candidate_source: 'candidate_sources',
  labor_relation: 'labor_relations',
};

/** Chinese labels, for "missing" and error lists. */
/** @type {Record<string, string>} */
const LABELS = {
  basis: '报考依据',
  education: '文化程度',
  years_in_occupation: '从业年限',
  candidate_source: '考生来源',
  labor_relation: '劳务关系',
  phone: '手机号码',
  employer: '所在单位',
  commitment_accepted: '承诺书',
};

/**
 * @param {any} reg Registration
 * @returns {Record<string, any>}
 */
function formFromRegistration(reg) {
  return {
    basis: reg.basis || '',
    education: reg.education || '',
    years_in_occupation:
      reg.years_in_occupation === null || reg.years_in_occupation === undefined ? '' : String(reg.years_in_occupation),
    candidate_source: reg.candidate_source || '',
    labor_relation: reg.labor_relation || '',
    phone: reg.phone || '',
    employer: reg.employer || '',
    commitment_accepted: !!reg.commitment_accepted,
  };
}

/**
 * @param {Record<string, any>} form
 * @returns {Record<string, any>} the PUT body
 */
function toPayload(form) {
  /** @type {Record<string, any>} */
  const out = {};
  FIELDS.forEach((f) => {
    out[f] = form[f];
  });
  out.years_in_occupation = form.years_in_occupation === '' ? null : Number(form.years_in_occupation);
  out.phone = String(form.phone || '').trim();
  out.employer = String(form.employer || '').trim();
  return out;
}

/**
 * Checks that need no server; messages shown at the field.
 * @param {Record<string, any>} form
 * @returns {Record<string, string>}
 */
function localErrors(form) {
  /** @type {Record<string, string>} */
  const out = {};
  const checks = {
    phone: phoneError(String(form.phone || '').trim()),
    years_in_occupation: yearsError(form.years_in_occupation),
    employer: employerError(form.employer),
  };
  Object.keys(checks).forEach((k) => {
    const msg = /** @type {Record<string, string>} */ (checks)[k];
    if (msg) out[k] = msg;
  });
  return out;
}

/**
 * @param {Record<string, any>} form
 * @param {Record<string, any>} meta
 * @returns {Record<string, { names: string[], index: number, label: string }>}
 */
function pickerState(form, meta) {
  /** @type {Record<string, { names: string[], index: number, label: string }>} */
  const out = {};
  Object.keys(PICKERS).forEach((field) => {
    const list = meta[/** @type {Record<string, string>} */ (PICKERS)[field]] || [];
    const index = list.findIndex((/** @type {any} */ o) => o.code === String(form[field]));
    out[field] = {
      names: list.map((/** @type {any} */ o) => o.name),
      index: index < 0 ? 0 : index,
      label: index < 0 ? '' : list[index].name,
    };
  });
  return out;
}

/**
 * @param {string} field
 * @param {number} index picker index
 * @param {Record<string, any>} meta
 * @returns {string} the option code
 */
function codeAt(field, index, meta) {
  const list = meta[/** @type {Record<string, string>} */ (PICKERS)[field]] || [];
  return list[index] ? list[index].code : '';
}

/**
 * Which fields the candidate cannot change: the server's locks, the basis' fills, or all
 * of them when the registration is not editable.
 * @param {Record<string, any>} meta GET /api/v1/meta
 * @param {string[]} serverLocked
 * @param {string} basis
 * @param {boolean} editable
 * @returns {Record<string, boolean>}
 */
function lockedMap(meta, serverLocked, basis, editable) {
  /** @type {Record<string, boolean>} */
  const out = {};
  const rule = findBasis(meta, basis);
  const fromBasis = rule ? Object.keys(rule.fixed) : [];
  FIELDS.forEach((f) => {
    out[f] = !editable || (serverLocked || []).indexOf(f) >= 0 || fromBasis.indexOf(f) >= 0;
  });
  return out;
}

/**
 * The attachment checklist to show before the server's one arrives.
 * @param {Record<string, any>} meta GET /api/v1/meta
 * @param {string} basis
 * @returns {{ key: string, name: string, required: boolean, satisfied: boolean, hint: string }[]}
 */
function localChecklist(meta, basis) {
  const rule = findBasis(meta, basis);
  if (!rule) return [];
  return rule.checklist.map((f) => ({ key: f.key, name: f.name, required: f.required, satisfied: false, hint: f.hint }));
}

/**
 * @param {any[]} items Attachment list
 * @returns {{ id: any, seq: number, file_name: string, uploaded_at: string, item_name: string }[]}
 */
function attachmentRows(items) {
  return (items || []).map((a, i) => ({
    id: a.id,
    seq: a.seq || i + 1,
    file_name: a.file_name,
    uploaded_at: beijingTime(a.uploaded_at),
    item_name: a.item_name || '',
  }));
}

/**
 * Field → message for the fields an incomplete submit reported missing.
 * @param {{ fields?: string[] } | undefined} missing
 * @returns {Record<string, string>}
 */
function missingErrors(missing) {
  /** @type {Record<string, string>} */
  const out = {};
  ((missing && missing.fields) || []).forEach((f) => {
    out[f] = f === 'commitment_accepted' ? '请阅读并勾选承诺' : `请填写${LABELS[f] || '此项'}`;
  });
  return out;
}

module.exports = {
  FIELDS,
  LABELS,
  formFromRegistration,
  toPayload,
  localErrors,
  pickerState,
  codeAt,
  lockedMap,
  localChecklist,
  attachmentRows,
  missingErrors,
};
