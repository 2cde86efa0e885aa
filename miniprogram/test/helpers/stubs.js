/**
 * Stand-ins for the tdesign components used by the pages. miniprogram-simulate cannot run
 * tdesign's own code (ES modules, layout queries), and tests care about what the page
 * asks the component to show, so each stub prints its properties as plain text and
 * offers the events the page listens to. `text()` in render.js turns that into the page
 * layouts recorded in the snapshots.
 */
const simulate = require('miniprogram-simulate');

const str = { type: String, value: '' };
const bool = { type: Boolean, value: false };
const any = { type: null, value: null };
const num = { type: Number, value: 0 };

/** @type {Record<string, object>} */
const DEFS = {
  't-button': {
    properties: { content: str, disabled: bool, loading: bool, theme: str, openType: str, variant: str },
    template:
      '<view bindtap="_tap">[<slot/>{{content}}]{{disabled ? "（不可用）" : ""}}{{loading ? "（处理中）" : ""}}</view>',
    methods: {
      _tap() {
        if (!this.data.disabled && !this.data.loading) this.triggerEvent('tap', {});
      },
      /** @param {object} detail what getPhoneNumber would report */
      _phone(detail) {
        this.triggerEvent('getphonenumber', detail);
      },
      /** What a tap does on a button with open-type="agreePrivacyAuthorization". */
      _agree() {
        if (this.data.openType === 'agreePrivacyAuthorization') this.triggerEvent('agreeprivacyauthorization', {});
      },
    },
  },
  't-input': {
    options: { multipleSlots: true },
    properties: { label: str, value: any, placeholder: str, disabled: bool, status: str, tips: str, maxlength: num, type: str },
    template:
      '<view>{{label}}：{{value !== null && value !== "" ? value : "‹" + placeholder + "›"}}{{disabled ? "（已锁定）" : ""}} <slot name="suffix"/></view>' +
      '<view wx:if="{{tips}}">{{status === "error" ? "⚠ " : ""}}{{tips}}</view>',
  },
  't-textarea': {
    properties: { label: str, value: str, placeholder: str, maxlength: num, disabled: bool, indicator: bool },
    template:
      '<view>{{label}}：{{value ? value : "‹" + placeholder + "›"}}{{indicator ? " " + value.length + " / " + maxlength : ""}}{{disabled ? "（不可用）" : ""}}</view>',
  },
  't-cell': {
    options: { multipleSlots: true },
    properties: { title: str, note: any, description: str, arrow: bool, required: bool, hover: bool },
    template:
      '<view bindtap="_click">{{required ? "* " : ""}}{{title}}{{note !== null && note !== "" ? "：" + note : ""}}<slot name="note"/><slot/>{{arrow ? " ›" : ""}}' +
      '<view wx:if="{{description}}">{{description}}</view><slot name="description"/></view>',
    methods: {
      _click() {
        this.triggerEvent('click', {});
      },
    },
  },
  't-cell-group': {
    properties: { title: str },
    template: '<view>{{title ? "== " + title + " ==" : ""}}<view><slot/></view></view>',
  },
  't-tabs': {
    properties: { value: any },
    template: '<view>标签：<slot/></view>',
  },
  't-tab-panel': {
    properties: { label: str, value: any },
    template: '<text> {{label}} </text>',
  },
  't-steps': {
    properties: { current: num, readonly: bool },
    template: '<view>步骤（当前第{{current + 1}}步）：<slot/></view>',
  },
  't-step-item': {
    properties: { title: str, content: str },
    template: '<text> {{title}}{{content ? "（" + content + "）" : ""}} </text>',
  },
  't-dialog': {
    properties: { visible: bool, title: str, content: str, confirmBtn: any, cancelBtn: any },
    template:
      '<view wx:if="{{visible}}"><view>【对话框】{{title}}</view><view>{{content}}</view><view bindtap="_confirm">[{{confirmBtn}}]</view></view>',
    methods: {
      _confirm() {
        this.triggerEvent('confirm', {});
      },
    },
  },
  't-checkbox': {
    properties: { checked: bool, label: str, content: str, disabled: bool },
    template: '<view>{{checked ? "☑" : "☐"}} {{label}}{{content}}<slot/></view>',
    methods: {
      _toggle() {
        if (!this.data.disabled) this.triggerEvent('change', { checked: !this.data.checked });
      },
    },
  },
  't-radio': {
    properties: { checked: bool, label: str, disabled: bool, value: any },
    template: '<view>{{checked ? "◉" : "○"}} {{label}}{{disabled ? "（不适用）" : ""}}</view>',
    methods: {
      _select() {
        if (!this.data.disabled) this.triggerEvent('change', { checked: true });
      },
    },
  },
  't-switch': {
    properties: { value: bool, label: str },
    template: '<text>{{value ? "[开]" : "[关]"}}</text>',
  },
  't-progress': {
    properties: { percentage: num, status: str },
    template: '<view>进度 {{percentage}}%{{status === "error" ? "（失败）" : ""}}</view>',
  },
  't-empty': {
    properties: { description: str, icon: str },
    template: '<view>（{{description}}）</view>',
  },
  't-loading': {
    properties: { text: str, theme: str },
    template: '<view>（{{text}}）</view>',
  },
  't-popup': {
    properties: { visible: bool, placement: str },
    template: '<view wx:if="{{visible}}">【弹出层】<slot/></view>',
  },
  't-notice-bar': {
    properties: { content: str, visible: bool, prefixIcon: str },
    template: '<view>【公告】{{content}}</view>',
  },
  't-tag': {
    properties: { theme: str, variant: str },
    template: '<text>〔<slot/>〕</text>',
  },
};

/** Hosts whose content belongs on their parent's line. */
const INLINE_HOSTS = ['t-tab-panel', 't-step-item', 't-tag', 't-switch'];

/** @type {Record<string, string> | null} */
let ids = null;

/** @returns {Record<string, string>} tag → registered stub id */
function stubIds() {
  if (!ids) {
    /** @type {Record<string, string>} */
    const out = {};
    Object.keys(DEFS).forEach((tag) => {
      out[tag] = simulate.load(Object.assign({ tagName: tag }, DEFS[tag]));
    });
    ids = out;
  }
  return ids;
}

module.exports = { stubIds, INLINE_HOSTS };
