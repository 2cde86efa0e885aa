/** GET /api/v1/meta, fetched once per launch, with DOMAIN.md's lists as a fallback. */
const api = require('./api');
const { FALLBACK_META } = require('../constants/options');

/** @type {Promise<Record<string, any>> | null} */
let cached = null;

/**
 * @returns {Promise<Record<string, any>>} option lists; `offline: true` when from the fallback
 */
function loadMeta() {
  if (!cached) {
    cached = api.meta().then(
      (m) => Object.assign({}, FALLBACK_META, m || {}, { subscribe_templates: (m && m.subscribe_templates) || [] }),
      () => {
        cached = null; // try the server again next time
        return Object.assign({}, FALLBACK_META, { subscribe_templates: [], offline: true });
      },
    );
  }
  return cached;
}

/** Forgets the cached lists (tests, or after a pull to refresh). */
function resetMeta() {
  cached = null;
}

module.exports = { loadMeta, resetMeta };
