/**
 * Authenticated file download: wx.downloadFile with the token, one silent
 * re-login on 401, and the API error shape on failure (an error answer is a
 * JSON file, read back to get its Chinese message).
 */
const auth = require('./auth');
const transport = require('./transport');
const { fromResponse, networkError } = require('./errors');

/**
 * @param {string} path API path
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
 * @param {string} filePath a downloaded error answer
 * @returns {any} its JSON body, or null
 */
function readError(filePath) {
  try {
    return JSON.parse(String(wx.getFileSystemManager().readFileSync(filePath, 'utf8')));
  } catch (e) {
    return null;
  }
}

/**
 * Downloads an API file and returns its temporary path.
 * @param {string} path API path
 * @returns {Promise<string>}
 */
async function download(path) {
  let token = await auth.ensureToken();
  let res = await downloadOnce(path, token);
  if (res.statusCode === 401) {
    token = await auth.relogin(token);
    res = await downloadOnce(path, token);
  }
  if (res.statusCode >= 200 && res.statusCode < 300) return res.tempFilePath;
  throw fromResponse(res.statusCode, readError(res.tempFilePath));
}

module.exports = { download };
