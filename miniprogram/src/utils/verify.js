/**
 * Real-name verification by face (人脸核身): the hand-over of an identity from the
 * 我的 page to the verification page ("这是我的证件号码"), kept in the App's memory
 * only, so an ID number never lands in a page URL or in storage.
 */

/** @typedef {{ name: string, id_number: string }} Claim */

/** @returns {Record<string, any>} the App's globalData */
function globalData() {
  /** @type {any} */
  const app = getApp();
  if (!app.globalData) app.globalData = {};
  return app.globalData;
}

/** @param {Claim} c */
function offerClaim(c) {
  globalData().pendingClaim = { name: c.name, id_number: c.id_number };
}

/** @returns {Claim | null} the identity handed over, once */
function takeClaim() {
  const g = globalData();
  const c = g.pendingClaim || null;
  delete g.pendingClaim;
  return c;
}

/**
 * Runs wx.requestFacialVerify on a verify id. Resolves when the scan ended either
 * way: only the server's answer (queryVerifyInfo) says how it went.
 * @param {string} verifyId
 * @returns {Promise<void>}
 */
function runFacialVerify(verifyId) {
  /** @type {any} */
  const w = wx;
  return new Promise((resolve, reject) => {
    if (typeof w.requestFacialVerify !== 'function') {
      reject(new Error('当前微信版本不支持人脸核验，请升级微信后重试'));
      return;
    }
    w.requestFacialVerify({ verifyId, success: () => resolve(), fail: () => resolve() });
  });
}

module.exports = { offerClaim, takeClaim, runFacialVerify };
