/** App entry: signs in silently at launch so the first page rarely waits for it. */
const auth = require('./services/auth');
const { loadMeta } = require('./services/meta');

App({
  onLaunch() {
    // Both are retried on demand by the pages; failures here are not shown.
    auth.ensureToken().catch(() => {});
    loadMeta().catch(() => {});
  },
});
