/**
 * The privacy guide dialog (用户隐私保护指引): a TDesign popup with the guide's
 * summary, a link to the full text (wx.openPrivacyContract), 同意 through a
 * button with open-type="agreePrivacyAuthorization", and 不同意. It answers the
 * `resolve` of wx.onNeedPrivacyAuthorization (services/privacy.js) when WeChat
 * opened it for a pending API call; opened by wx.getPrivacySetting it has none,
 * and the button's open-type records the agreement by itself.
 *
 * Events: `agree`, `decline`.
 */
const privacy = require('../../services/privacy');
const { PRIVACY_SUMMARY } = require('../../constants/privacy');

/** WeChat's pending resolve, per popup. @type {WeakMap<object, (r: { event: string, buttonId?: string }) => void>} */
const pending = new WeakMap();

Component({
  properties: {
    /** The feature that asked, shown in the text (e.g. 上传附件). */
    feature: { type: String, value: '' },
    /** Ask wx.getPrivacySetting when attached, and open at once if agreement is needed. */
    check: { type: Boolean, value: false },
  },
  data: {
    visible: false,
    summary: PRIVACY_SUMMARY,
  },
  lifetimes: {
    attached() {
      privacy.register(this);
      if (this.data.check) privacy.check(this);
    },
    detached() {
      privacy.unregister(this);
      this.answer({ event: 'disagree' });
    },
  },
  methods: {
    /**
     * Shows the dialog; resolve is WeChat's, or null when opened proactively.
     * @param {((r: { event: string, buttonId?: string }) => void) | null} [resolve]
     */
    open(resolve) {
      if (resolve) {
        this.answer({ event: 'disagree' }); // a newer request replaces an unanswered one
        pending.set(this, resolve);
      }
      this.setData({ visible: true });
    },

    /** @param {{ event: string, buttonId?: string }} result */
    answer(result) {
      const r = pending.get(this);
      pending.delete(this);
      if (r) r(result);
    },

    onAgree() {
      this.answer({ buttonId: 'privacy-agree', event: 'agree' });
      this.setData({ visible: false });
      this.triggerEvent('agree');
    },

    onDecline() {
      this.answer({ event: 'disagree' });
      this.setData({ visible: false });
      this.triggerEvent('decline');
    },

    onOpenContract() {
      if (typeof wx.openPrivacyContract !== 'function') return;
      wx.openPrivacyContract({
        fail: () => wx.showToast({ title: '暂时无法打开隐私保护指引，请稍后再试', icon: 'none' }),
      });
    },
  },
});
