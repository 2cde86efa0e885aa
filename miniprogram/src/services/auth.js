/**
 * The candidate's session: wx.login → POST /api/v1/auth/login, the token in storage,
 * and a silent re-login shared by every caller that needs one at the same time.
 */
const config = require('../config');
const transport = require('./transport');
const { fromResponse } = require('./errors');

const SESSION_KEY = 'skillcert.session';
/** Renew a little before the server's expiry. */
const EXPIRY_MARGIN_MS = 60 * 1000;

/** @typedef {{ token: string, expires_at: string, candidate: any }} Session */

/** @type {Promise<Session> | null} */
let pending = null;

/** @returns {Session | null} */
function getSession() {
  try {
    const s = wx.getStorageSync(SESSION_KEY);
    return s && typeof s === 'object' && s.token ? s : null;
  } catch (e) {
    return null;
  }
}

/**
 * @param {Session | null} s
 * @returns {boolean}
 */
function isFresh(s) {
  if (!s) return false;
  const exp = Date.parse(s.expires_at);
  return Number.isNaN(exp) || exp - EXPIRY_MARGIN_MS > Date.now();
}

/** @returns {Promise<string>} a login code for the server */
function loginCode() {
  if (config.devLoginName) return Promise.resolve(`dev-${config.devLoginName}`);
  return new Promise((resolve, reject) => {
    wx.login({
      success: (res) => resolve(res.code),
      fail: (err) => reject(err),
    });
  });
}

/** @returns {Promise<Session>} */
async function doLogin() {
  const code = await loginCode();
  const res = await transport.send({ method: 'POST', path: '/api/v1/auth/login', data: { code } });
  if (res.statusCode !== 200) throw fromResponse(res.statusCode, res.data);
  /** @type {Session} */
  const session = {
    token: res.data.token,
    expires_at: res.data.expires_at,
    candidate: res.data.candidate,
  };
  wx.setStorageSync(SESSION_KEY, session);
  return session;
}

/**
 * Signs in; concurrent callers share one wx.login and one request.
 * @returns {Promise<Session>}
 */
function login() {
  if (!pending) {
    pending = doLogin().then(
      (s) => {
        pending = null;
        return s;
      },
      (err) => {
        pending = null;
        throw err;
      },
    );
  }
  return pending;
}

/**
 * A valid token, signing in first when there is none or it expired.
 * @returns {Promise<string>}
 */
async function ensureToken() {
  const s = getSession();
  if (isFresh(s) && s) return s.token;
  return (await login()).token;
}

/**
 * Forgets the token the server refused and signs in again.
 * @param {string} refused the token that got a 401
 * @returns {Promise<string>}
 */
async function relogin(refused) {
  const s = getSession();
  if (s && s.token !== refused && isFresh(s)) return s.token; // someone already renewed it
  clearSession();
  return (await login()).token;
}

function clearSession() {
  try {
    wx.removeStorageSync(SESSION_KEY);
  } catch (e) {
    // ignore
  }
}

/**
 * Keeps the stored candidate in step with the latest Me.
 * @param {any} me
 */
function rememberCandidate(me) {
  const s = getSession();
  if (s) wx.setStorageSync(SESSION_KEY, Object.assign({}, s, { candidate: me }));
}

module.exports = { login, ensureToken, relogin, getSession, clearSession, rememberCandidate, SESSION_KEY };
