/**
 * wx.request as a promise, with retries on network failure for idempotent calls.
 * Knows nothing about sessions: see request.js for the token and 401 handling.
 */
const config = require('../config');
const { networkError } = require('./errors');

/**
 * @typedef {{ method?: 'GET'|'POST'|'PUT'|'DELETE', path: string, data?: any,
 *   header?: Record<string, string>, idempotent?: boolean }} SendOptions
 * @typedef {{ statusCode: number, data: any }} RawResponse
 */

/**
 * @param {string} path API path beginning with /
 * @returns {string}
 */
function url(path) {
  return config.apiBase + path;
}

/**
 * @param {number} ms
 * @returns {Promise<void>}
 */
function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * One attempt.
 * @param {SendOptions} opts
 * @returns {Promise<RawResponse>}
 */
function sendOnce(opts) {
  return new Promise((resolve, reject) => {
    wx.request({
      url: url(opts.path),
      method: opts.method || 'GET',
      data: opts.data,
      header: Object.assign({ 'content-type': 'application/json' }, opts.header || {}),
      timeout: config.timeoutMs,
      dataType: 'json',
      success: (res) => resolve({ statusCode: res.statusCode, data: res.data }),
      fail: (err) => reject(networkError(err && err.errMsg)),
    });
  });
}

/**
 * GET, PUT and DELETE are idempotent unless told otherwise; POST is not.
 * @param {SendOptions} opts
 * @returns {boolean}
 */
function isIdempotent(opts) {
  if (typeof opts.idempotent === 'boolean') return opts.idempotent;
  const m = opts.method || 'GET';
  return m === 'GET' || m === 'PUT' || m === 'DELETE';
}

/**
 * Sends, retrying network failures (never HTTP errors) when the call is idempotent.
 * @param {SendOptions} opts
 * @returns {Promise<RawResponse>}
 */
async function send(opts) {
  const tries = isIdempotent(opts) ? 1 + config.networkRetries : 1;
  let wait = config.retryDelayMs;
  for (let i = 1; ; i++) {
    try {
      return await sendOnce(opts);
    } catch (err) {
      if (i >= tries) throw err;
      await delay(wait);
      wait *= 2;
    }
  }
}

module.exports = { send, url, isIdempotent, delay };
