/**
 * 实名核验: WeChat face verification of the bound identity, or of an ID number
 * another account bound ("这是我的证件号码"). The server opens the session
 * (POST /me/face-verification), wx.requestFacialVerify runs the scan, and the
 * server asks WeChat for the true result (POST /me/face-verification/result):
 * the page never decides the outcome itself.
 */
const api = require('../../services/api');
const auth = require('../../services/auth');
const config = require('../../config');
const { fieldErrors, messageOf } = require('../../services/errors');
const { liveIdFeedback } = require('../../utils/identity');
const { nameError } = require('../../utils/validate');
const { beijingTime } = require('../../utils/format');
const { toastError } = require('../../utils/ui');
const { takeClaim, runFacialVerify } = require('../../utils/verify');
const { PRIVACY } = require('../../constants/texts');

Component({
  data: {
    state: 'loading',
    errorText: '',
    me: /** @type {Record<string, any>} */ ({}),
    verifiedAt: '',
    mode: 'own', // own | claim
    form: { name: '', id_number: '', consent: false },
    errors: /** @type {Record<string, string>} */ ({}),
    busy: false,
    result: { ok: false, text: '' },
    privacy: PRIVACY,
  },
  methods: {
    /** @param {Record<string, string>} query claim=1 opens the claim form */
    onLoad(query) {
      const claim = takeClaim();
      if (claim) this.setData({ mode: 'claim', 'form.name': claim.name, 'form.id_number': claim.id_number });
      else if (query && query.claim === '1') this.setData({ mode: 'claim' });
    },
    onShow() {
      return this.load();
    },
    async load() {
      try {
        this.showMe(await api.me());
      } catch (err) {
        this.setData({ state: 'error', errorText: messageOf(err) });
      }
    },
    /** @param {any} me */
    showMe(me) {
      auth.rememberCandidate(me);
      /** @type {Record<string, any>} */
      const d = { state: 'ready', me, verifiedAt: me.verified_at ? beijingTime(me.verified_at) : '' };
      if (!me.has_identity && this.data.mode === 'own') d.mode = 'claim';
      this.setData(d);
    },

    onClaimMode() {
      this.setData({ mode: 'claim', result: { ok: false, text: '' } });
    },
    /** @param {any} e */
    onName(e) {
      const name = String(e.detail.value || '');
      this.setData({ 'form.name': name, 'errors.name': name ? nameError(name) : '' });
    },
    /** @param {any} e */
    onNumber(e) {
      const n = String(e.detail.value || '').trim();
      this.setData({ 'form.id_number': n, 'errors.id_number': liveIdFeedback('01', n).error });
    },
    /** @param {any} e */
    onConsent(e) {
      this.setData({ 'form.consent': !!e.detail.checked, 'errors.privacy_consent': '' });
    },

    onStart() {
      return this.verify({});
    },

    onClaim() {
      const f = this.data.form;
      /** @type {Record<string, string>} */
      const errors = {};
      const ne = nameError(f.name);
      if (ne) errors.name = ne;
      const fb = liveIdFeedback('01', f.id_number);
      if (!fb.ok) errors.id_number = fb.error || (f.id_number ? '证件号码不完整' : '请输入身份证号码');
      if (!f.consent) errors.privacy_consent = '请阅读并同意个人信息处理规则';
      this.setData({ errors });
      if (Object.keys(errors).length) return Promise.resolve();
      return this.verify({
        name: f.name.trim(),
        id_type: '01',
        id_number: f.id_number.toUpperCase(),
        privacy_consent: true,
        consent_version: config.privacyConsentVersion,
      });
    },

    /**
     * Opens a session for body, runs the scan, asks the server how it went.
     * @param {Record<string, any>} body
     */
    async verify(body) {
      if (this.data.busy) return;
      this.setData({ busy: true, result: { ok: false, text: '' } });
      try {
        const session = await api.startFaceVerification(body);
        await runFacialVerify(session.verify_id);
        const res = await api.finishFaceVerification(session.verify_id);
        const ok = res.result === 'passed';
        this.setData({ result: { ok, text: res.message } });
        if (res.me) this.showMe(res.me);
        if (ok) this.setData({ mode: 'own' });
      } catch (err) {
        const fe = fieldErrors(err);
        if (Object.keys(fe).length) this.setData({ errors: fe });
        else this.setData({ result: { ok: false, text: messageOf(err) } });
        if (!(err && /** @type {any} */ (err).status)) toastError(err);
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
