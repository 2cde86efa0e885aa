/**
 * The summary of the privacy guide shown in the privacy popup. The full text is
 * miniprogram/PRIVACY.md (pasted into the platform's 用户隐私保护指引); keep the two
 * in step with what the code collects (test/privacy.test.js checks the APIs).
 */
const PRIVACY_SUMMARY = [
  '手机号：用于报名联系、培训意向回访和督导反馈电话回访（点击“使用微信手机号”时）',
  '选中的照片或文件：用于上传报名附件和督导反馈图片',
  '身份信息（姓名、证件号码）与人脸核验结果：用于实名报名和证件号码认领',
  '剪切板（仅写入）：仅在您点击复制时写入全国证书查询网址',
  '相册（仅写入）：仅在您保存准考证图片时使用',
];

module.exports = { PRIVACY_SUMMARY };
