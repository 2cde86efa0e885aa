/**
 * The mini-program privacy guide (用户隐私保护指引), the platform's way: WeChat asks
 * for the user's agreement before the first call of a personal-information API
 * (phone number, choosing photos or files, the clipboard, saving to the album …).
 *
 * - `install()` (App.onLaunch) registers wx.onNeedPrivacyAuthorization: when WeChat
 *   needs the agreement, the privacy popup of the current page is opened with
 *   WeChat's `resolve`; agreeing goes through the popup's button with
 *   open-type="agreePrivacyAuthorization", declining resolves `disagree`, and the
 *   API call then fails with a privacy error the page explains (`isDenied`).
 * - `check()` asks wx.getPrivacySetting and opens the popup at once when
 *   agreement is needed: the popup does it when the page shows it with `check`.
 *
 * Each page that calls such an API puts `<privacy-popup id="privacy-popup" check />`
 * in its WXML; the popup registers itself here while attached.
 */

/** What a feature says when the guide was declined. */
const DENIED_TEXT = '您未同意《用户隐私保护指引》，暂时无法使用此功能。如需使用，请再次操作并点击“同意”。';

/**
 * @typedef {{ open: (resolve?: ((r: { event: string, buttonId?: string }) => void) | null, referrer?: string) => void }} Popup
 */

/** @type {any[]} popups attached now, the newest last */
const popups = [];

/** @param {any} popup */
function register(popup) {
  if (popups.indexOf(popup) < 0) popups.push(popup);
}

/** @param {any} popup */
function unregister(popup) {
  const i = popups.indexOf(popup);
  if (i >= 0) popups.splice(i, 1);
}

/**
 * The popup of the page on top (a tab page stays attached when another tab shows).
 * @returns {any | null}
 */
function currentPopup() {
  if (!popups.length) return null;
  const pages = typeof getCurrentPages === 'function' ? getCurrentPages() : [];
  const top = pages.length ? pages[pages.length - 1] : null;
  if (top && typeof top.getPageId === 'function') {
    const id = top.getPageId();
    for (let i = popups.length - 1; i >= 0; i--) {
      const p = popups[i];
      if (typeof p.getPageId === 'function' && p.getPageId() === id) return p;
    }
  }
  return popups[popups.length - 1];
}

/** Registers the handler WeChat calls when a privacy API needs the agreement. */
function install() {
  if (typeof wx.onNeedPrivacyAuthorization !== 'function') return; // base library < 2.32.3
  wx.onNeedPrivacyAuthorization((resolve, eventInfo) => {
    const popup = currentPopup();
    if (!popup) {
      // No page to ask on: decline this call; the feature explains it.
      resolve({ event: 'disagree' });
      return;
    }
    popup.open(resolve, eventInfo && eventInfo.referrer);
  });
}

/**
 * Asks whether the user still has to agree to the guide, and if so opens the
 * given popup (else the current page's). Resolves true when agreement is needed.
 * @param {any} [popup]
 * @returns {Promise<boolean>}
 */
function check(popup) {
  return new Promise((resolve) => {
    if (typeof wx.getPrivacySetting !== 'function') {
      resolve(false);
      return;
    }
    wx.getPrivacySetting({
      success: (res) => {
        const need = !!(res && res.needAuthorization);
        if (need) {
          const p = popup || currentPopup();
          if (p) p.open(null);
        }
        resolve(need);
      },
      fail: () => resolve(false),
    });
  });
}

/**
 * Whether a failed API call failed because the guide was not agreed to
 * (errno 104, "privacy permission is not authorized").
 * @param {any} err
 * @returns {boolean}
 */
function isDenied(err) {
  if (!err) return false;
  if (err.errno === 104 || err.errno === 112) return true;
  return /privacy/i.test(String(err.errMsg || ''));
}

/**
 * Tells the person why a feature stopped when the failure is a declined guide.
 * @param {any} err the failed call's error (or a button event's detail)
 * @returns {boolean} true when it was explained
 */
function explainDenied(err) {
  if (!isDenied(err)) return false;
  wx.showModal({ title: '需要您同意隐私保护指引', content: DENIED_TEXT, showCancel: false, confirmText: '知道了' });
  return true;
}

module.exports = { install, check, isDenied, explainDenied, register, unregister, currentPopup, DENIED_TEXT };
