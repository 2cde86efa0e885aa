/**
 * The one request wrapper every page goes through:
 * - adds the Bearer token (signing in silently when there is none);
 * - on 401 signs in again and retries the call once;
 * - maps the API error shape to ApiError (Chinese message, field errors);
 * - retries network failures for idempotent calls (see transport.js);
 * - retries a busy server (503, or 429, with a Retry-After of a few seconds:
 *   nothing was saved) after that time, with backoff and jitter, showing the
 *   server's message meanwhile (issue 19: opening-day bursts);
 * - coalesces identical mutating calls in flight, so a double tap submits once.
 */
const auth = require('./auth');
const transport = require('./transport');
const { fromResponse } = require('./errors');

/** @typedef {import('./transport').SendOptions & { auth?: boolean }} RequestOptions */

/** @type {Map<string, Promise<any>>} */
const inflight = new Map();

/** Busy answers retried per call, and the longest Retry-After waited for (s). */
const BUSY_RETRIES = 3;
const BUSY_MAX_WAIT_S = 5;

/**
 * How long to wait before retrying a busy answer, or -1 when it is not one to
 * retry: 503 or 429 with a Retry-After (the body's retry_after_seconds) of at
 * most BUSY_MAX_WAIT_S. The wait grows with each attempt and is spread by up
 * to half again, so clients told the same time do not come back together.
 * @param {{ statusCode: number, data: any }} res
 * @param {number} attempt 1 for the first retry
 * @param {() => number} [random]
 * @returns {number} milliseconds
 */
function busyWait(res, attempt, random = Math.random) {
  if (res.statusCode !== 503 && res.statusCode !== 429) return -1;
  const secs = Number(res.data && res.data.retry_after_seconds);
  if (!(secs > 0) || secs > BUSY_MAX_WAIT_S) return -1;
  const base = secs * 1000 * 2 ** (attempt - 1);
  return Math.round(base * (1 + random() / 2));
}

/**
 * Shows the busy message while waiting to retry.
 * @param {any} data
 */
function showBusy(data) {
  const msg = (data && data.error && data.error.message) || '报名人数较多，请稍后重试';
  if (typeof wx !== 'undefined' && wx.showToast) {
    wx.showToast({ title: `${msg}，正在自动重试…`, icon: 'none', duration: 2000 });
  }
}

/**
 * @param {RequestOptions} opts
 * @returns {Promise<any>} the response body (null for 204)
 */
async function perform(opts) {
  const needsAuth = opts.auth !== false;
  let token = needsAuth ? await auth.ensureToken() : '';
  /** @param {string} t */
  const withToken = (t) =>
    Object.assign({}, opts, { header: t ? { Authorization: `Bearer ${t}` } : {} });
  let res = await transport.send(withToken(token));
  if (res.statusCode === 401 && needsAuth) {
    token = await auth.relogin(token);
    res = await transport.send(withToken(token));
  }
  for (let attempt = 1; attempt <= BUSY_RETRIES; attempt++) {
    const wait = busyWait(res, attempt);
    if (wait < 0) break;
    showBusy(res.data);
    await transport.delay(wait);
    res = await transport.send(withToken(token));
  }
  if (res.statusCode >= 200 && res.statusCode < 300) {
    return res.statusCode === 204 ? null : res.data;
  }
  throw fromResponse(res.statusCode, res.data);
}

/**
 * @param {RequestOptions} opts
 * @returns {Promise<any>}
 */
function request(opts) {
  const method = opts.method || 'GET';
  if (method === 'GET') return perform(opts);
  const key = `${method} ${opts.path} ${JSON.stringify(opts.data === undefined ? null : opts.data)}`;
  const running = inflight.get(key);
  if (running) return running;
  const p = perform(opts).then(
    (v) => {
      inflight.delete(key);
      return v;
    },
    (err) => {
      inflight.delete(key);
      throw err;
    },
  );
  inflight.set(key, p);
  return p;
}

/**
 * @param {string} path
 * @param {Record<string, any>} [query]
 * @returns {string}
 */
function withQuery(path, query) {
  if (!query) return path;
  const parts = Object.keys(query)
    .filter((k) => query[k] !== undefined && query[k] !== null && query[k] !== '')
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(String(query[k]))}`);
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

module.exports = { request, withQuery, busyWait, BUSY_RETRIES };
