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
        wx.showToast({ title: messageOf(err), icon: 'none' });
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
