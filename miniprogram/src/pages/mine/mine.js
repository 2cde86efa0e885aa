/** 我的: sign-in state, identity binding, phone and the official-account bind code. */
const api = require('../../services/api');
const { explainDenied } = require('../../services/privacy');
const { download } = require('../../services/download');
const auth = require('../../services/auth');
const config = require('../../config');
const { loadMeta } = require('../../services/meta');
const { fieldErrors, messageOf } = require('../../services/errors');
const { liveIdFeedback, derivesFromNumber } = require('../../utils/identity');
const { nameError } = require('../../utils/validate');
const { beijingTime } = require('../../utils/format');
const { toastError, toastOk } = require('../../utils/ui');
const { PRIVACY } = require('../../constants/texts');
const { offerClaim } = require('../../utils/verify');

/** @typedef {{ code: string, name: string }} Option */

/** @param {any} me */
function identityRows(me) {
  return [
    { k: '姓名', v: me.name || '' },
    { k: '证件类型', v: me.id_type_name || '' },
    { k: '证件号码', v: me.id_number_masked || '' },
    { k: '性别', v: me.gender || '' },
    { k: '出生日期', v: me.birth_date || '' },
  ];
}

Component({
  data: {
    state: 'loading',
    errorText: '',
    signedIn: false,
    me: /** @type {Record<string, any>} */ ({}),
    identityRows: /** @type {{k: string, v: string}[]} */ ([]),
    editing: false,
    idTypes: /** @type {Option[]} */ ([]),
    idTypeNames: /** @type {string[]} */ ([]),
    idTypeIndex: 0,
    idForm: { name: '', id_type: '01', id_number: '', consent: false },
    idErrors: /** @type {Record<string, string>} */ ({}),
    idTip: '',
    idGender: '',
    idBirth: '',
    derived: true,
    derivingTypes: /** @type {string[]} */ ([]),
    genders: ['男', '女'],
    today: '',
    binding: false,
    privacy: PRIVACY,
    oa: { code: '', expires: '' },
    oaBusy: false,
    taken: '', // the answer to a number bound to another account: offer "这是我的证件号码"
    exporting: false,
    deleting: false,
  },
  methods: {
    async onLoad() {
      const meta = await loadMeta();
      /** @type {Option[]} */
      const idTypes = meta.id_types || [];
      const now = new Date(Date.now() + 8 * 3600 * 1000); // Beijing date
      this.setData({
        idTypes,
        idTypeNames: idTypes.map((t) => t.name),
        // The server's list of the types whose number carries 性别/出生日期.
        derivingTypes: meta.id_types_deriving_identity || [],
        today: now.toISOString().slice(0, 10),
      });
    },
    onShow() {
      return this.load();
    },
    async load() {
      try {
        const me = await api.me();
        auth.rememberCandidate(me);
        this.showMe(me);
      } catch (err) {
        this.setData({ state: 'error', signedIn: !!auth.getSession(), errorText: `未能登录：${messageOf(err)}` });
      }
    },
    /** @param {any} me */
    showMe(me) {
      this.setData({ state: 'ready', signedIn: true, me, identityRows: identityRows(me), editing: false });
    },

    onEdit() {
      const me = this.data.me;
      const idx = this.data.idTypes.findIndex((t) => t.code === me.id_type);
      this.setData({ editing: true, idTypeIndex: idx < 0 ? 0 : idx, 'idForm.name': me.name || '', 'idForm.id_type': me.id_type || '01' });
    },

    /** @param {any} e */
    onName(e) {
      const name = String(e.detail.value || '');
      this.setData({ 'idForm.name': name, 'idErrors.name': name ? nameError(name) : '' });
    },
    /** @param {any} e */
    onIdType(e) {
      const idx = Number(e.detail.value);
      const t = this.data.idTypes[idx];
      this.setData({ idTypeIndex: idx, 'idForm.id_type': t ? t.code : '' });
      this.checkNumber();
    },
    /** @param {any} e */
    onIdNumber(e) {
      this.setData({ 'idForm.id_number': String(e.detail.value || '').trim() });
      this.checkNumber();
    },
    /** Validation as the user types. */
    checkNumber() {
      const f = this.data.idForm;
      const fb = liveIdFeedback(f.id_type, f.id_number);
      const derived = this.derives(f.id_type);
      // Derived values follow the number; typed ones stay while the type asks for them.
      const keep = !derived && !this.data.derived;
      this.setData({
        'idErrors.id_number': fb.error,
        idTip: fb.tip,
        idGender: keep ? this.data.idGender : fb.gender,
        idBirth: keep ? this.data.idBirth : fb.birthDate,
        derived,
      });
    },
    /** @param {string} type @returns {boolean} gender and birth date come from the number */
    derives(type) {
      const list = this.data.derivingTypes;
      return list.length ? list.indexOf(type) >= 0 : derivesFromNumber(type);
    },
    /** @param {any} e */
    onGender(e) {
      const g = this.data.genders[Number(e.detail.value)] || '';
      this.setData({ idGender: g, 'idErrors.gender': '' });
    },
    /** @param {any} e */
    onBirth(e) {
      this.setData({ idBirth: String(e.detail.value || ''), 'idErrors.birth_date': '' });
    },
    /** @param {any} e */
    onConsent(e) {
      this.setData({ 'idForm.consent': !!e.detail.checked, 'idErrors.privacy_consent': '' });
    },

    async onBind() {
      if (this.data.binding) return;
      const f = this.data.idForm;
      const fb = liveIdFeedback(f.id_type, f.id_number);
      /** @type {Record<string, string>} */
      const errors = {};
      const ne = nameError(f.name);
      if (ne) errors.name = ne;
      if (!fb.ok) errors.id_number = fb.error || (f.id_number ? '证件号码不完整' : '请输入证件号码');
      const asks = !this.derives(f.id_type);
      if (asks && !this.data.idGender) errors.gender = '请选择性别';
      if (asks && !this.data.idBirth) errors.birth_date = '请选择出生日期';
      else if (asks && this.data.idBirth >= this.data.today) errors.birth_date = '出生日期应早于今天，请核对';
      if (!f.consent) errors.privacy_consent = '请阅读并同意个人信息处理规则';
      this.setData({ idErrors: errors });
      if (Object.keys(errors).length) return;
      this.setData({ binding: true });
      try {
        /** @type {{ name: string, id_type: string, id_number: string, gender?: string, birth_date?: string, privacy_consent: boolean, consent_version: string }} */
        const body = {
          name: f.name.trim(),
          id_type: f.id_type,
          id_number: f.id_number.toUpperCase(),
          privacy_consent: true,
          consent_version: config.privacyConsentVersion,
        };
        if (asks) {
          // Only the types whose number does not carry them ask for these.
          body.gender = this.data.idGender;
          body.birth_date = this.data.idBirth;
        }
        const me = await api.putIdentity(body);
        auth.rememberCandidate(me);
        this.showMe(me);
        toastOk('已保存');
        // Came here from 报名码报名 (去绑定): go back to the code, kept as a draft.
        const back = wx.getStorageSync('after-bind');
        if (back) {
          wx.removeStorageSync('after-bind');
          wx.navigateTo({ url: back });
        }
      } catch (err) {
        const fe = fieldErrors(err);
        if (Object.keys(fe).length) this.setData({ idErrors: fe });
        else if (err && /** @type {any} */ (err).code === 'id_number_taken' && f.id_type === '01') this.setData({ taken: messageOf(err) });
        else toastError(err);
      } finally {
        this.setData({ binding: false });
      }
    },

    /** 这是我的证件号码: verify by face to take the number back from the other account. */
    onClaimOwn() {
      const f = this.data.idForm;
      offerClaim({ name: f.name.trim(), id_number: f.id_number.toUpperCase() });
      this.setData({ taken: '' });
      wx.navigateTo({ url: '/pages/verify/verify' });
    },
    onGoVerify() {
      wx.navigateTo({ url: '/pages/verify/verify' });
    },

    /** @param {any} e getPhoneNumber result */
    async onWxPhone(e) {
      const code = e && e.detail && e.detail.code;
      if (!code) {
        explainDenied(e && e.detail); // the guide declined: say why; else the user declined
        return;
      }
      try {
        this.showMe(await api.bindPhone(code));
        toastOk('手机号已绑定');
      } catch (err) {
        toastError(err);
      }
    },

    /** 导出我的数据: download the zip and hand it to a WeChat chat (the way a file leaves a mini-program). */
    async onExport() {
      if (this.data.exporting) return;
      this.setData({ exporting: true });
      wx.showLoading({ title: '正在导出' });
      try {
        const filePath = await download(api.exportPath);
        wx.hideLoading();
        if (typeof wx.shareFileMessage !== 'function') {
          wx.showModal({ title: '导出我的数据', content: '当前微信版本不支持发送文件，请升级微信后重试。', showCancel: false });
          return;
        }
        wx.shareFileMessage({
          filePath,
          fileName: '我的数据.zip',
          success: () => toastOk('已发送'),
          fail: () => {}, // the person closed the chat picker
        });
      } catch (err) {
        wx.hideLoading();
        toastError(err);
      } finally {
        this.setData({ exporting: false });
      }
    },

    /** 注销账号, after a confirmation that says what goes and what stays. */
    onDeleteAccount() {
      if (this.data.deleting) return;
      wx.showModal({
        title: '注销账号',
        content: '注销后，您的报名草稿、已撤销和审核不通过的报名及附件、手机号、授权记录和公众号关联将被删除，无法恢复；已审核通过并参加评价的报名，其成绩与证书记录由评价机构依法保存。确定注销？',
        confirmText: '确定注销',
        confirmColor: '#d54941',
        success: (r) => {
          if (r.confirm) this.deleteAccount();
        },
      });
    },

    async deleteAccount() {
      this.setData({ deleting: true });
      try {
        const res = await api.deleteAccount();
        auth.clearSession();
        wx.showModal({
          title: '账号已注销',
          content: res.kept_notice || '您的账号和个人信息已删除。',
          showCancel: false,
          success: () => wx.reLaunch({ url: '/pages/index/index' }),
        });
      } catch (err) {
        wx.showModal({ title: '暂不能注销', content: messageOf(err), showCancel: false });
      } finally {
        this.setData({ deleting: false });
      }
    },

    async onOaCode() {
      if (this.data.oaBusy) return;
      this.setData({ oaBusy: true });
      try {
        const res = await api.oaBindCode();
        this.setData({ oa: { code: res.code, expires: beijingTime(res.expires_at) } });
      } catch (err) {
        toastError(err);
      } finally {
        this.setData({ oaBusy: false });
      }
    },
  },
});
