/**
 * The one place that says where the API is and how sign-in behaves in development.
 * Edit this file (not the services) to point the mini-program at another server.
 */
module.exports = {
  /** Base URL of the skillcert HTTP API, without a trailing slash. */
  apiBase: 'http://127.0.0.1:8080',
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
