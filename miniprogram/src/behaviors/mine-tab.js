/**
 * A form page with a second tab listing the candidate's own entries (我的反馈,
 * 我的意向): the list loads when its tab opens and on pull-down refresh there.
 * The page defines `loadList()` and keeps `tab` ('new' | 'mine') in its data.
 */
module.exports = Behavior({
  methods: {
    /** @param {any} e t-tabs change */
    onTab(e) {
      const tab = e.detail && e.detail.value === 'mine' ? 'mine' : 'new';
      this.setData({ tab });
      if (tab === 'mine') /** @type {any} */ (this).loadList();
    },
    async onPullDownRefresh() {
      if (/** @type {any} */ (this.data).tab === 'mine') await /** @type {any} */ (this).loadList();
      wx.stopPullDownRefresh();
    },
  },
});
