/** Small UI helpers so pages show errors and confirmations the same way. */
const { messageOf } = require('../services/errors');

/**
 * @param {any} err
 */
function toastError(err) {
  wx.showToast({ title: messageOf(err), icon: 'none', duration: 2500 });
}

/**
 * @param {string} title
 */
function toastOk(title) {
  wx.showToast({ title, icon: 'success' });
}

/**
 * @param {string} title
 * @param {string} content
 * @param {string} [confirmText]
 * @returns {Promise<boolean>}
 */
function confirm(title, content, confirmText) {
  return new Promise((resolve) => {
    wx.showModal({
      title,
      content,
      confirmText: confirmText || '确定',
      cancelText: '取消',
      success: (res) => resolve(!!res.confirm),
      fail: () => resolve(false),
    });
  });
}

/**
 * @param {{ currentTarget: { dataset: Record<string, any> } }} e
 * @param {string} key
 * @returns {any}
 */
function dataOf(e, key) {
  return e && e.currentTarget && e.currentTarget.dataset ? e.currentTarget.dataset[key] : undefined;
}

/**
 * Picker index → option, for native <picker range-key="name">.
 * @param {{ code: string, name: string }[]} list
 * @param {string} code
 * @returns {number}
 */
function indexOfCode(list, code) {
  return (list || []).findIndex((o) => o.code === String(code));
}

/**
 * Loads a list into a page the same way everywhere: the loading state on the
 * first load only (a refresh keeps what is shown), then ready or empty, or the
 * error with its message.
 * @param {any} page the page component (`this`)
 * @param {() => Promise<{ items?: any[] }>} fetch
 * @param {(item: any) => any} mapItem
 * @param {{ state?: string, error?: string }} [keys] data keys of the state and the error text
 */
async function loadList(page, fetch, mapItem, keys) {
  const stateKey = (keys && keys.state) || 'state';
  const errorKey = (keys && keys.error) || 'errorText';
  if (!page.data.items.length) page.setData({ [stateKey]: 'loading' });
  try {
    const res = await fetch();
    const items = (res.items || []).map(mapItem);
    page.setData({ items, [stateKey]: items.length ? 'ready' : 'empty' });
  } catch (err) {
    page.setData({ [stateKey]: 'error', [errorKey]: messageOf(err) });
  }
}

module.exports = { toastError, toastOk, confirm, dataOf, indexOfCode, loadList };
