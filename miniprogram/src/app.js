/** App entry: signs in silently at launch so the first page rarely waits for it. */
const auth = require('./services/auth');
const { loadMeta } = require('./services/meta');
const privacy = require('./services/privacy');

App({
  onLaunch() {
    // WeChat asks for the privacy guide's agreement through our own popup.
    privacy.install();
    // Both are retried on demand by the pages; failures here are not shown.
    auth.ensureToken().catch(() => {});
    loadMeta().catch(() => {});
  },
});
