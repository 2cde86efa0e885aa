/**
 * 报考依据 rules, read from the server (GET /api/v1/meta basis_rules, which domain/basis.go
 * answers): which levels a basis allows, which fields it fills and locks (with the
 * server's option codes), the hint shown under the choice, and the attachments asked for.
 * The mini-program keeps no copy of these rules.
 */

/**
 * @typedef {{ key: string, name: string, required: boolean, hint: string }} FileRule
 * @typedef {{ code: string, name: string, levels: number[] | null,
 *   fixed: Record<string, string | number>, employer_involved: boolean, hint: string,
 *   checklist: FileRule[] }} BasisRule
 */

/**
 * @param {Record<string, any> | undefined} meta GET /api/v1/meta
 * @returns {BasisRule[]}
 */
function rulesOf(meta) {
  return (meta && meta.basis_rules) || [];
}

/**
 * @param {Record<string, any> | undefined} meta
 * @param {string} code
 * @returns {BasisRule | undefined}
 */
function findBasis(meta, code) {
  return rulesOf(meta).find((b) => b.code === code);
}

/**
 * The bases a plan of this level allows, with a disabled flag for the others.
 * @param {Record<string, any> | undefined} meta
 * @param {number} level
 * @returns {{ code: string, name: string, disabled: boolean }[]}
 */
function basisChoices(meta, level) {
  return rulesOf(meta).map((b) => ({
    code: b.code,
    name: b.name,
    disabled: !!(b.levels && b.levels.length) && b.levels.indexOf(Number(level)) < 0,
  }));
}

/**
 * The form's value for a fixed field (the form holds strings, as the inputs give them).
 * @param {string | number} v
 * @returns {string}
 */
function formValue(v) {
  return String(v);
}

/**
 * Fills the fields a basis decides and returns which fields are now locked.
 * @param {Record<string, any> | undefined} meta
 * @param {string} code basis code
 * @param {Record<string, any>} form current form values
 * @returns {{ form: Record<string, any>, locked: string[] }}
 */
function applyBasis(meta, code, form) {
  const rule = findBasis(meta, code);
  const next = Object.assign({}, form, { basis: code });
  if (!rule) return { form: next, locked: [] };
  // Leaving a basis that filled a field: clear the value it put there, so that for
  // example 所在单位 "无" does not stay behind for 以工作年限报考.
  rulesOf(meta).forEach((other) => {
    Object.keys(other.fixed).forEach((field) => {
      if (field in rule.fixed) return;
      if (String(next[field]) === formValue(other.fixed[field])) next[field] = '';
    });
  });
  Object.keys(rule.fixed).forEach((field) => {
    next[field] = formValue(rule.fixed[field]);
  });
  return { form: next, locked: Object.keys(rule.fixed) };
}

module.exports = { findBasis, basisChoices, applyBasis };
