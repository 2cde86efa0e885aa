/**
 * Attachment upload: wx.uploadFile with the token, progress reports, one silent
 * re-login on 401, and the API error shape on failure.
 */
const auth = require('./auth');
const transport = require('./transport');
const { fromResponse, networkError } = require('./errors');

/**
 * @typedef {{ path: string, filePath: string, name?: string, formData?: Record<string, string>,
 *   onProgress?: (percent: number) => void }} UploadOptions
 */

/**
 * @param {UploadOptions} opts
 * @param {string} token
 * @returns {Promise<{ statusCode: number, data: any }>}
 */
function uploadOnce(opts, token) {
  return new Promise((resolve, reject) => {
    const task = wx.uploadFile({
      url: transport.url(opts.path),
      filePath: opts.filePath,
      name: opts.name || 'file',
      formData: opts.formData || {},
      header: { Authorization: `Bearer ${token}` },
      success: (res) => {
        let data = res.data;
        try {
          data = JSON.parse(res.data);
        } catch (e) {
          // not JSON: keep the raw text
        }
        resolve({ statusCode: res.statusCode, data });
      },
      fail: (err) => reject(networkError(err && err.errMsg)),
    });
    if (task && opts.onProgress) {
      const report = opts.onProgress;
      task.onProgressUpdate((p) => report(p.progress));
    }
  });
}

/**
 * @param {UploadOptions} opts
 * @returns {Promise<any>} the created Attachment
 */
async function upload(opts) {
  let token = await auth.ensureToken();
  let res = await uploadOnce(opts, token);
  if (res.statusCode === 401) {
    token = await auth.relogin(token);
    res = await uploadOnce(opts, token);
  }
  if (res.statusCode >= 200 && res.statusCode < 300) return res.data;
  throw fromResponse(res.statusCode, res.data);
}

module.exports = { upload };
