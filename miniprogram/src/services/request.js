/**
 * The one request wrapper every page goes through:
 * - adds the Bearer token (signing in silently when there is none);
 * - on 401 signs in again and retries the call once;
 * - maps the API error shape to ApiError (Chinese message, field errors);
 * - retries network failures for idempotent calls (see transport.js);
 * - coalesces identical mutating calls in flight, so a double tap submits once.
 */
const auth = require('./auth');
const transport = require('./transport');
const { fromResponse } = require('./errors');

/** @typedef {import('./transport').SendOptions & { auth?: boolean }} RequestOptions */

/** @type {Map<string, Promise<any>>} */
const inflight = new Map();

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

module.exports = { request, withQuery };
