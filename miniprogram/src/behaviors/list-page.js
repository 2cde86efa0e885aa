/**
 * A page that shows one list: loaded on every show and on pull-down refresh.
 * The page defines `load()` (usually ui.loadList) and renders `state`,
 * `errorText` and `items`.
 */
module.exports = Behavior({
  data: {
    state: 'loading',
    errorText: '',
    items: /** @type {any[]} */ ([]),
  },
  methods: {
    onShow() {
      return /** @type {any} */ (this).load();
    },
    async onPullDownRefresh() {
      await /** @type {any} */ (this).load();
      wx.stopPullDownRefresh();
    },
  },
});
