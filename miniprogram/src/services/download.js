/**
 * Opening an uploaded attachment: wx.downloadFile with the token (one silent
 * re-login on 401), then an image preview or wx.openDocument for a PDF.
 */
const auth = require('./auth');
const transport = require('./transport');
const { fromResponse, networkError } = require('./errors');

/**
 * @param {string} path API path of the file
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
 * @param {string} path
 * @returns {Promise<string>} the downloaded temporary file
 */
async function download(path) {
  let token = await auth.ensureToken();
  let res = await downloadOnce(path, token);
  if (res.statusCode === 401) {
    token = await auth.relogin(token);
    res = await downloadOnce(path, token);
  }
  if (res.statusCode >= 200 && res.statusCode < 300) return res.tempFilePath;
  throw fromResponse(res.statusCode, {});
}

/**
 * Opens an attachment as its type allows: images in the preview, PDF in the
 * document viewer; archives (zip, rar, 7z) cannot be opened on the phone.
 * @param {string} path
 * @param {string} contentType
 * @returns {Promise<boolean>} false when the type cannot be opened
 */
async function openAttachment(path, contentType) {
  const type = String(contentType || '');
  const image = type.indexOf('image/') === 0;
  if (!image && type !== 'application/pdf') return false;
  const file = await download(path);
  await new Promise((resolve, reject) => {
    if (image) wx.previewImage({ urls: [file], current: file, success: resolve, fail: reject });
    else wx.openDocument({ filePath: file, fileType: 'pdf', showMenu: true, success: resolve, fail: reject });
  });
  return true;
}

module.exports = { download, openAttachment };
