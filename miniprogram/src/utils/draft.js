/**
 * Unsaved form input kept in local storage, so it survives leaving the page, the app
 * being killed, and an expired session.
 */

const PREFIX = 'skillcert.draft.';

/**
 * @param {string} key
 * @returns {Record<string, any> | null}
 */
function loadDraft(key) {
  try {
    const v = wx.getStorageSync(PREFIX + key);
    return v && typeof v === 'object' ? v : null;
  } catch (e) {
    return null;
  }
}

/**
 * @param {string} key
 * @param {Record<string, any>} values
 */
function saveDraft(key, values) {
  try {
    wx.setStorageSync(PREFIX + key, values);
  } catch (e) {
    // Storage full or unavailable: the input stays on screen; nothing else to do.
  }
}

/** @param {string} key */
function clearDraft(key) {
  try {
    wx.removeStorageSync(PREFIX + key);
  } catch (e) {
    // ignore
  }
}

module.exports = { loadDraft, saveDraft, clearDraft };
