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
 * Whether an answer came from the load balancer, not from skillcert: 502 or
 * 504, or a 503 without the API's error shape (a replica died or did not
 * answer in time). Like a network failure, the call may or may not have been
 * done, so only an idempotent call is sent again.
 * @param {RawResponse} res
 * @returns {boolean}
 */
function isGatewayFailure(res) {
  if (res.statusCode === 502 || res.statusCode === 504) return true;
  return res.statusCode === 503 && !(res.data && typeof res.data === 'object' && res.data.error);
}

/**
 * Sends, retrying network failures and the load balancer's gateway failures
 * (never the API's own errors) when the call is idempotent.
 * @param {SendOptions} opts
 * @returns {Promise<RawResponse>}
 */
async function send(opts) {
  const tries = isIdempotent(opts) ? 1 + config.networkRetries : 1;
  let wait = config.retryDelayMs;
  for (let i = 1; ; i++) {
    try {
      const res = await sendOnce(opts);
      if (i >= tries || !isGatewayFailure(res)) return res;
    } catch (err) {
      if (i >= tries) throw err;
    }
    await delay(wait);
    wait *= 2;
  }
}

module.exports = { send, url, isIdempotent, isGatewayFailure, delay };
