/**
 * The API base URL for each version of the mini-program (envVersion: develop = DevTools
 * and real-device preview, trial = 体验版, release = 正式版). Written by
 * `npm run configure` (scripts/configure.js) from SKILLCERT_API_DEVELOP,
 * SKILLCERT_API_TRIAL and SKILLCERT_API_RELEASE; trial and release must be HTTPS
 * addresses on the 服务器域名 list (README "How a release is made"). The committed
 * values are the local ones.
 */
module.exports = {
  apiBase: {
    develop: 'http://127.0.0.1:8080',
    trial: '',
    release: '',
  },
};
