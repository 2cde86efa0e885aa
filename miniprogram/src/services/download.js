/**
 * Opening an attachment: wx.downloadFile with the token (one silent re-login on
 * 401), then a picture in the image viewer, a PDF or Office file in the
 * document viewer.
 */
const auth = require('./auth');
const transport = require('./transport');
const { fromResponse, networkError } = require('./errors');

/**
 * @param {string} path
 * @param {string} token
 * @returns {Promise<{ statusCode: number, tempFilePath: string }>}
 */
function downloadOnce(path, token) {
  return new Promise((resolve, reject) => {
    wx.downloadFile({
      url: transport.url(path),
      header: { Authorization: `Bearer ${token}` },
      success: (res) => resolve({ statusCode: res.statusCode, tempFilePath: res.tempFilePath }),
      fail: (err) => reject(networkError(err && err.errMsg)),
    });
  });
}

/**
 * Downloads a file of the API and opens it.
 * @param {string} path API path of the file
 * @param {string} fileName its name, for the type
 */
async function openFile(path, fileName) {
  let token = await auth.ensureToken();
  let res = await downloadOnce(path, token);
  if (res.statusCode === 401) {
    token = await auth.relogin(token);
    res = await downloadOnce(path, token);
  }
  if (res.statusCode < 200 || res.statusCode >= 300) throw fromResponse(res.statusCode, {});
  const ext = (String(fileName || '').split('.').pop() || '').toLowerCase();
  if (['jpg', 'jpeg', 'png', 'gif', 'webp'].indexOf(ext) >= 0) {
    wx.previewImage({ urls: [res.tempFilePath], current: res.tempFilePath });
    return;
  }
  await new Promise((resolve, reject) => {
    wx.openDocument({
      filePath: res.tempFilePath,
      fileType: /** @type {any} */ (ext),
      showMenu: true,
      success: () => resolve(undefined),
      fail: (err) => reject(networkError(err && err.errMsg)),
    });
  });
}

module.exports = { openFile };
