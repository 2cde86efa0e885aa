/**
 * 报考依据 rules from the seed's guide (DOMAIN.md): which levels a basis allows, which
 * fields it fills and locks, and which attachments it asks for. Values that are option
 * names (考生来源, 劳务关系) are resolved to the server's codes by name, because those
 * lists are configurable per province.
 */

const NO_EMPLOYER_FILL = {
  years_in_occupation: '0',
  candidate_source: { byName: '其他' },
  employer: '无',
  labor_relation: { byName: '其他' },
};
const EMPLOYEE_FILL = {
  candidate_source: { byName: '本企业职工' },
  labor_relation: { byName: '本企业职工' },
};
const EDUCATION_FILES = [
  { key: 'diploma', name: '毕业证', required: true },
  { key: 'chsi_record', name: '学信网电子注册备案表（大专及以上）', required: false },
];
const WORK_FILES = [
  { key: 'diploma', name: '毕业证', required: true },
  { key: 'chsi_record', name: '学信网电子注册备案表（大专及以上）', required: true },
  { key: 'social_insurance', name: '社保证明', required: false },
  { key: 'work_proof', name: '工作证明（盖章版）', required: false },
  { key: 'labor_contract', name: '劳动合同', required: false },
];

/**
 * @typedef {string | { byName: string }} FillValue
 * @typedef {{ key: string, name: string, required: boolean }} FileRule
 * @typedef {{ code: string, name: string, levels: number[] | null,
 *   fills: Record<string, FillValue>, hint: string, files: FileRule[] }} BasisRule
 */

/** @type {BasisRule[]} */
const BASES = [
  {
    code: 'level5',
    name: '报名五级',
    levels: [5],
    fills: NO_EMPLOYER_FILL,
    hint: '从业年限填“0”，考生来源填“其他”，所在单位填“无”，劳务关系填“其他”。',
    files: EDUCATION_FILES,
  },
  {
    code: 'education',
    name: '以学历报考',
    levels: [3, 4],
    fills: NO_EMPLOYER_FILL,
    hint: '仅限三级、四级。从业年限填“0”，考生来源填“其他”，所在单位填“无”，劳务关系填“其他”。',
    files: EDUCATION_FILES,
  },
  {
    code: 'work_years',
    name: '以工作年限报考',
    levels: null,
    fills: EMPLOYEE_FILL,
    hint: '所在单位按个人申请表上最新的工作单位填写，从业年限与个人申请表上的工作年限一致。',
    files: WORK_FILES,
  },
  {
    code: 'title_or_cert',
    name: '以职称或技能证书报考',
    levels: null,
    fills: EMPLOYEE_FILL,
    hint: '所在单位按个人申请表上最新的工作单位填写，从业年限与个人申请表上的工作年限一致。',
    files: WORK_FILES.concat([{ key: 'title_cert', name: '职称证书或技能证书', required: true }]),
  },
];

/**
 * @param {string} code
 * @returns {BasisRule | undefined}
 */
function findBasis(code) {
  return BASES.find((b) => b.code === code);
}

/**
 * The bases a plan of this level allows, with a disabled flag for the others.
 * @param {number} level
 * @returns {{ code: string, name: string, disabled: boolean }[]}
 */
function basisChoices(level) {
  return BASES.map((b) => ({
    code: b.code,
    name: b.name,
    disabled: b.levels !== null && b.levels.indexOf(Number(level)) < 0,
  }));
}

/**
 * @param {FillValue} v
 * @param {string} field
 * @param {Record<string, {code: string, name: string}[]>} lists
 * @returns {string}
 */
function resolveFill(v, field, lists) {
  if (typeof v === 'string') return v;
  const found = (lists[field] || []).find((o) => o.name === v.byName);
  return found ? found.code : '';
}

/**
 * Fills the fields a basis decides and returns which fields are now locked.
 * @param {string} code basis code
 * @param {Record<string, any>} form current form values
 * @param {{ candidate_sources: {code: string, name: string}[], labor_relations: {code: string, name: string}[] }} options
 * @returns {{ form: Record<string, any>, locked: string[] }}
 */
function applyBasis(code, form, options) {
  const rule = findBasis(code);
  const next = Object.assign({}, form, { basis: code });
  if (!rule) return { form: next, locked: [] };
  /** @type {Record<string, {code: string, name: string}[]>} */
  const lists = {
    candidate_source: options.candidate_sources,
    labor_relation: options.labor_relations,
  };
  // Leaving a basis that filled a field: clear the value it put there, so that for
  // example 所在单位 "无" does not stay behind for 以工作年限报考.
  BASES.forEach((other) => {
    Object.keys(other.fills).forEach((field) => {
      if (field in rule.fills) return;
      if (String(next[field]) === resolveFill(other.fills[field], field, lists)) next[field] = '';
    });
  });
  Object.keys(rule.fills).forEach((field) => {
    next[field] = resolveFill(rule.fills[field], field, lists);
  });
  return { form: next, locked: Object.keys(rule.fills) };
}

module.exports = { BASES, findBasis, basisChoices, applyBasis };
