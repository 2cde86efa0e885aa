/**
 * The form's required marks, from the server's rule: a registration's own
 * required_fields, or GET /api/v1/meta required_fields for the basis being chosen.
 * Never a list kept here.
 */

/**
 * @param {Record<string, any>} meta
 * @param {string} basis the basis shown in the form
 * @param {{ basis?: string, required_fields?: string[] }} [reg] the registration as saved
 * @returns {Record<string, boolean>}
 */
function requiredMap(meta, basis, reg) {
  /** @type {string[]} */
  let fields = [];
  const byBasis = (meta && meta.required_fields) || {};
  if (reg && reg.required_fields && (reg.basis || '') === (basis || '')) fields = reg.required_fields;
  else if (byBasis[basis || '']) fields = byBasis[basis || ''];
  /** @type {Record<string, boolean>} */
  const out = {};
  fields.forEach((f) => {
    out[f] = true;
  });
  return out;
}

module.exports = { requiredMap };
