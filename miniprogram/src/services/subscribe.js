/**
 * Subscribe-message consent. wx.requestSubscribeMessage only works when called
 * synchronously from a tap, so `askConsent` must be the first thing a tap handler does;
 * its answer is then reported to the API, which counts one send credit per accept.
 */
const api = require('./api');

const VALID = ['accept', 'reject', 'ban', 'filter'];
/** WeChat accepts at most three templates per call. */
const MAX_TEMPLATES = 3;

/**
 * @param {string[]} templateIds
 * @returns {Promise<Record<string, string>>} template id → answer (empty when nothing asked or it failed)
 */
function askConsent(templateIds) {
  const ids = templateIds.filter(Boolean).slice(0, MAX_TEMPLATES);
  if (!ids.length) return Promise.resolve({});
  return new Promise((resolve) => {
    wx.requestSubscribeMessage({
      tmplIds: ids,
      success: (res) => {
        /** @type {Record<string, string>} */
        const out = {};
        const answers = /** @type {Record<string, any>} */ (res);
        ids.forEach((id) => {
          if (VALID.indexOf(answers[id]) >= 0) out[id] = answers[id];
        });
        resolve(out);
      },
      fail: () => resolve({}),
    });
  });
}

/**
 * Reports the answers; never fails the caller (consent is not worth blocking a submit).
 * @param {Record<string, string>} results
 * @returns {Promise<boolean>} whether the server recorded them
 */
async function reportConsent(results) {
  if (!Object.keys(results).length) return false;
  try {
    await api.reportSubscriptions(results);
    return true;
  } catch (e) {
    return false;
  }
}

/**
 * @param {{ event: string, template_id: string }[]} templates from /meta
 * @param {string[]} [events] the events to ask for, in order of importance; all when omitted
 *   or when the server knows none of them
 * @returns {string[]}
 */
function templateIdsFor(templates, events) {
  const list = templates || [];
  const picked = events
    ? events
        .map((ev) => list.find((t) => t.event === ev))
        .filter((t) => !!t)
        .map((t) => /** @type {{ template_id: string }} */ (t))
    : list;
  // Event names are the server's; if none of ours is known, ask for what it configured.
  const chosen = picked.length ? picked : list;
  return chosen.map((t) => t.template_id).slice(0, MAX_TEMPLATES);
}

module.exports = { askConsent, reportConsent, templateIdsFor };
