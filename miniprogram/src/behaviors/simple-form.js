/**
 * Input wiring shared by the simple forms: elements carry data-field="<name>" and, for
 * pickers, data-list="<data key of the option list>"; values land in `form.<name>`.
 */
const { dataOf } = require('../utils/ui');

module.exports = Behavior({
  data: {
    form: /** @type {Record<string, any>} */ ({}),
  },
  methods: {
    /** @param {any} e t-input / t-textarea change */
    onInput(e) {
      this.setData({ [`form.${dataOf(e, 'field')}`]: e.detail.value });
    },
    /** @param {any} e t-switch / t-checkbox change */
    onToggle(e) {
      const d = e.detail || {};
      this.setData({ [`form.${dataOf(e, 'field')}`]: !!(d.value !== undefined ? d.value : d.checked) });
    },
    /** @param {any} e native picker change; stores the option's code */
    onPick(e) {
      const list = /** @type {Record<string, any>} */ (this.data)[String(dataOf(e, 'list'))] || [];
      const opt = list[Number(e.detail.value)];
      this.setData({ [`form.${dataOf(e, 'field')}`]: opt ? opt.code : '' });
    },
  },
});
