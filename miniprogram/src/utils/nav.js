/** Navigation that knows which pages are tab pages. */
const TAB_PAGES = ['/pages/index/index', '/pages/records/records', '/pages/mine/mine'];

/**
 * @param {string} url
 */
function go(url) {
  const base = url.split('?')[0];
  if (TAB_PAGES.indexOf(base) >= 0) wx.switchTab({ url: base });
  else wx.navigateTo({ url });
}

module.exports = { go, TAB_PAGES };
