/** Picking a file to upload: from a chat (wx.chooseMessageFile) or the album (wx.chooseMedia). */

const { explainDenied } = require('../services/privacy');

const SOURCES = ['从聊天记录选择文件（zip/rar/7z/pdf/图片）', '从相册或相机选择图片'];
const EXTENSIONS = ['zip', 'rar', '7z', 'pdf', 'jpg', 'jpeg', 'png'];

/** @typedef {{ path: string, name: string, size: number }} PickedFile */

/**
 * @param {string} p
 * @returns {string}
 */
function baseName(p) {
  const parts = String(p).split('/');
  return parts[parts.length - 1] || p;
}

/**
 * @returns {Promise<PickedFile | null>} null when the user cancelled
 */
function chooseFile() {
  return new Promise((resolve) => {
    wx.showActionSheet({
      itemList: SOURCES,
      success: (sheet) => {
        if (sheet.tapIndex === 0) {
          wx.chooseMessageFile({
            count: 1,
            type: 'file',
            extension: EXTENSIONS,
            success: (res) => {
              const f = res.tempFiles[0];
              resolve(f ? { path: f.path, name: f.name, size: f.size } : null);
            },
            fail: (err) => {
              explainDenied(err);
              resolve(null);
            },
          });
        } else {
          wx.chooseMedia({
            count: 1,
            mediaType: ['image'],
            sourceType: ['album', 'camera'],
            success: (res) => {
              const f = res.tempFiles[0];
              resolve(f ? { path: f.tempFilePath, name: baseName(f.tempFilePath), size: f.size } : null);
            },
            fail: (err) => {
              explainDenied(err);
              resolve(null);
            },
          });
        }
      },
      fail: () => resolve(null),
    });
  });
}

module.exports = { chooseFile };
