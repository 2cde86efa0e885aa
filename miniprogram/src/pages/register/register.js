/**
 * 报名码报名, steps 1 and 2: enter the 8-character code, confirm the plan. Step 3 (the
 * form) is pages/form, reached once the draft registration exists.
 */
const api = require('../../services/api');
const { ApiError, fieldErrors, messageOf } = require('../../services/errors');
const { CODE_LENGTH, normalizeCode, isCompleteCode } = require('../../utils/validate');
const { planConfirmRows } = require('../../utils/plan');
const { loadDraft, saveDraft, clearDraft } = require('../../utils/draft');
const { toastError } = require('../../utils/ui');

const DRAFT_KEY = 'register-code';
/** Storage key telling 我的 to come back to the code after binding an identity. */
const AFTER_BIND_KEY = 'after-bind';

/**
 * Without a bound identity the code cannot be used: offer 去绑定 on 我的, and
 * come back here (the code is kept as a draft) once the identity is saved.
 * @param {any} err
 * @returns {boolean} whether err was that case
 */
function offerBind(err) {
  if (!(err instanceof ApiError) || err.code !== 'identity_required') return false;
  wx.showModal({
    title: '请先绑定身份',
    content: err.message,
    confirmText: '去绑定',
    cancelText: '稍后',
    success: (r) => {
      if (!r.confirm) return;
      wx.setStorageSync(AFTER_BIND_KEY, '/pages/register/register');
      wx.switchTab({ url: '/pages/mine/mine' });
    },
  });
  return true;
}

Component({
  data: {
    step: 0,
    code: '',
    codeLength: CODE_LENGTH,
    codeComplete: false,
    codeCounter: `0 / ${CODE_LENGTH}`,
    codeError: '',
    busy: false,
    rows: /** @type {{k: string, v: string}[]} */ ([]),
    notice: '',
    canContinue: false,
    existingId: 0,
  },
  methods: {
    onLoad() {
      const d = loadDraft(DRAFT_KEY);
      if (d && typeof d.code === 'string') this.setCode(d.code);
    },

    /** @param {string} raw */
    setCode(raw) {
      const code = normalizeCode(raw);
      this.setData({
        code,
        codeComplete: isCompleteCode(code),
        codeCounter: `${code.length} / ${CODE_LENGTH}`,
        codeError: '',
      });
      saveDraft(DRAFT_KEY, { code });
    },

    /** @param {any} e */
    onCode(e) {
      this.setCode(e.detail.value);
    },

    async onLookup() {
      if (!this.data.codeComplete || this.data.busy) return;
      this.setData({ busy: true });
      try {
        const res = await api.lookupCode(this.data.code);
        const reg = res.registration;
        let notice = '';
        if (reg) notice = `您已使用该报名码报名（${reg.status_name}），点击“下一步”查看或继续填写。`;
        else if (!res.open) notice = '该评价计划当前不在报名时间内或名额已满，暂不能报名。';
        this.setData({
          step: 1,
          rows: planConfirmRows(res.plan, res.seats_left),
          notice,
          canContinue: !!reg || !!res.open,
          existingId: reg ? reg.id : 0,
        });
      } catch (err) {
        if (offerBind(err)) return;
        const atField = fieldErrors(err).code;
        if (err instanceof ApiError && (atField || err.status === 404 || err.status === 400 || err.status === 429)) {
          this.setData({ codeError: atField || err.message });
        } else {
          toastError(err);
        }
      } finally {
        this.setData({ busy: false });
      }
    },

    onPrev() {
      this.setData({ step: 0 });
    },

    async onConfirm() {
      if (!this.data.canContinue || this.data.busy) return;
      if (this.data.existingId) {
        wx.navigateTo({ url: `/pages/form/form?id=${this.data.existingId}` });
        return;
      }
      this.setData({ busy: true });
      try {
        const reg = await api.createRegistration(this.data.code);
        clearDraft(DRAFT_KEY);
        wx.navigateTo({ url: `/pages/form/form?id=${reg.id}` });
      } catch (err) {
        if (offerBind(err)) return;
        wx.showToast({ title: messageOf(err), icon: 'none' });
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
