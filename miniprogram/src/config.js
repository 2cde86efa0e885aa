/**
 * The one place that says where the API is and how sign-in behaves in development.
 * The API base comes from src/env.js by the running version (develop / trial /
 * release, wx.getAccountInfoSync); `npm run configure` fills env.js for a build.
 */
const env = require('./env');

/** @typedef {'develop' | 'trial' | 'release'} EnvVersion */

/**
 * The version this copy of the mini-program runs as: develop in DevTools and
 * preview, trial for the 体验版, release once published.
 * @returns {EnvVersion}
 */
function envVersion() {
  try {
    const v = wx.getAccountInfoSync().miniProgram.envVersion;
    return v === 'trial' || v === 'release' ? v : 'develop';
  } catch (e) {
    return 'develop'; // no wx (tests, tools) or an old base library
  }
}

/**
 * The API base of a version: a trial build without its own server uses the
 * release one; develop falls back to the local server. Never a trailing slash.
 * @param {string} version
 * @param {{ develop?: string, trial?: string, release?: string }} bases
 * @returns {string}
 */
function apiBaseFor(version, bases) {
  const b = bases || {};
  let base = '';
  if (version === 'release') base = b.release || '';
  else if (version === 'trial') base = b.trial || b.release || '';
  else base = b.develop || 'http://127.0.0.1:8080';
  return base.replace(/\/+$/, '');
}

const version = envVersion();

module.exports = {
  /** The running version (develop / trial / release). */
  envVersion: version,
  /** Base URL of the skillcert HTTP API for this version, without a trailing slash. */
  apiBase: apiBaseFor(version, env.apiBase),
  apiBaseFor,
  /**
   * Development sign-in override. When non-empty, sign-in sends the code `dev-<name>`
   * instead of the real wx.login code, which a local server paired with
   * `skillcert fake-wechat` accepts. Leave empty for any real deployment.
   */
  devLoginName: '',
  /** wx.request timeout in milliseconds. */
  timeoutMs: 15000,
  /** Extra tries after a network failure, for idempotent calls only. */
  networkRetries: 2,
  /** Base delay between those tries, in milliseconds (doubled each try). */
  retryDelayMs: 300,
  /** Version of the privacy notice the identity binding consents to. */
  privacyConsentVersion: '2026-01',
};
