/** 我的: sign-in state, identity binding, phone and the official-account bind code. */
const api = require('../../services/api');
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

/** @typedef {{ code: string, name: string }} Option */

/** @param {any} me */
function identityRows(me) {
  return [
    { k: '姓名', v: me.name || '' },
    { k: '证件类型', v: me.id_type_name || '' },
    { k: '证件号码', v: me.id_number_masked || '' },
    { k: '性别', v: me.gender || '' },
    { k: '出生日期', v: me.birth_date || '' },
    { k: '核验状态', v: me.verify_state_name || '' },
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
    binding: false,
    privacy: PRIVACY,
    oa: { code: '', expires: '' },
    oaBusy: false,
    exporting: false,
    deleting: false,
  },
  methods: {
    async onLoad() {
      const meta = await loadMeta();
      /** @type {Option[]} */
      const idTypes = meta.id_types || [];
      this.setData({ idTypes, idTypeNames: idTypes.map((t) => t.name) });
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
      this.setData({
        'idErrors.id_number': fb.error,
        idTip: fb.tip,
        idGender: fb.gender,
        idBirth: fb.birthDate,
        derived: derivesFromNumber(f.id_type),
      });
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
      if (!f.consent) errors.privacy_consent = '请阅读并同意个人信息处理规则';
      this.setData({ idErrors: errors });
      if (Object.keys(errors).length) return;
      this.setData({ binding: true });
      try {
        const me = await api.putIdentity({
          name: f.name.trim(),
          id_type: f.id_type,
          id_number: f.id_number.toUpperCase(),
          privacy_consent: true,
          consent_version: config.privacyConsentVersion,
        });
        auth.rememberCandidate(me);
        this.showMe(me);
        toastOk('已保存');
      } catch (err) {
        const fe = fieldErrors(err);
        if (Object.keys(fe).length) this.setData({ idErrors: fe });
        else toastError(err);
      } finally {
        this.setData({ binding: false });
      }
    },

    /** @param {any} e getPhoneNumber result */
    async onWxPhone(e) {
      const code = e && e.detail && e.detail.code;
      if (!code) return;
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
