/** 评价计划查询: public plan search with level tabs, filters, sort and infinite scroll. */
const api = require('../../services/api');
const { loadMeta } = require('../../services/meta');
const { messageOf } = require('../../services/errors');
const { planCard } = require('../../utils/plan');
const { dataOf } = require('../../utils/ui');

const PAGE_SIZE = 20;
const ALL = 'all';

/** @typedef {{ code: string, name: string }} Option */

/**
 * @param {Option[]} list
 * @param {string} allLabel
 */
function withAll(list, allLabel) {
  return [{ code: '', name: allLabel }].concat(list || []);
}

Component({
  data: {
    level: ALL,
    levelTabs: [{ value: ALL, label: '全部' }],
    occupations: /** @type {Option[]} */ ([]),
    occupationNames: ['全部职业'],
    occupationIndex: 0,
    cities: /** @type {Option[]} */ ([]),
    cityNames: ['全部地点'],
    cityIndex: 0,
    sorts: /** @type {Option[]} */ ([]),
    sortNames: ['默认'],
    sortIndex: 0,
    total: 0,
    page: 0,
    cards: /** @type {any[]} */ ([]),
    hasMore: false,
    state: 'loading',
    errorText: '',
    loadingMore: false,
    moreError: false,
    seq: 0,
  },
  methods: {
    async onLoad() {
      const meta = await loadMeta();
      const occupations = withAll(meta.occupations, '全部职业');
      const cities = withAll(meta.cities, '全部地点');
      /** @type {Option[]} */
      const sorts = meta.sorts || [];
      this.setData({
        levelTabs: [{ value: ALL, label: '全部' }].concat(
          (meta.levels || []).map((/** @type {Option} */ l) => ({ value: l.code, label: l.name.split('/')[0] })),
        ),
        occupations,
        occupationNames: occupations.map((o) => o.name),
        cities,
        cityNames: cities.map((o) => o.name),
        sorts,
        sortNames: sorts.length ? sorts.map((o) => o.name) : ['默认'],
      });
      await this.reload();
    },

    /** The query for the current filters. */
    query() {
      const d = this.data;
      const sort = d.sorts[d.sortIndex];
      return {
        level: d.level === ALL ? '' : d.level,
        occupation: d.occupations[d.occupationIndex] ? d.occupations[d.occupationIndex].code : '',
        city: d.cities[d.cityIndex] ? d.cities[d.cityIndex].code : '',
        sort: sort ? sort.code : '',
        page_size: PAGE_SIZE,
      };
    },

    /**
     * Loads one page. A newer request makes older answers stale.
     * @param {number} page
     */
    async fetch(page) {
      const seq = this.data.seq + 1;
      this.setData({ seq });
      const res = await api.plans(Object.assign(this.query(), { page }));
      if (seq !== this.data.seq) return null;
      return res;
    },

    async reload() {
      if (!this.data.cards.length) this.setData({ state: 'loading' });
      try {
        const res = await this.fetch(1);
        if (!res) return;
        const cards = (res.items || []).map(planCard);
        this.setData({
          cards,
          total: res.total || 0,
          page: 1,
          hasMore: cards.length < (res.total || 0),
          state: cards.length ? 'ready' : 'empty',
          moreError: false,
        });
      } catch (err) {
        this.setData({ state: 'error', errorText: messageOf(err), cards: [], total: 0 });
      }
    },

    async onPullDownRefresh() {
      await this.reload();
      wx.stopPullDownRefresh();
    },

    async onReachBottom() {
      const d = this.data;
      if (!d.hasMore || d.loadingMore || d.state !== 'ready') return;
      this.setData({ loadingMore: true, moreError: false });
      try {
        const res = await this.fetch(d.page + 1);
        if (!res) return;
        const cards = d.cards.concat((res.items || []).map(planCard));
        this.setData({
          cards,
          page: d.page + 1,
          total: res.total || 0,
          hasMore: cards.length < (res.total || 0) && (res.items || []).length > 0,
        });
      } catch (err) {
        this.setData({ moreError: true });
      } finally {
        this.setData({ loadingMore: false });
      }
    },

    /** @param {any} e */
    onLevel(e) {
      this.setData({ level: String(e.detail.value) });
      this.reload();
    },
    /** @param {any} e */
    onOccupation(e) {
      this.setData({ occupationIndex: Number(e.detail.value) });
      this.reload();
    },
    /** @param {any} e */
    onCity(e) {
      this.setData({ cityIndex: Number(e.detail.value) });
      this.reload();
    },
    /** @param {any} e */
    onSort(e) {
      this.setData({ sortIndex: Number(e.detail.value) });
      this.reload();
    },
    /** @param {any} e a tap on a plan card */
    onOpen(e) {
      const id = dataOf(e, 'id');
      if (id) wx.navigateTo({ url: `/pages/plan/plan?id=${id}` });
    },
    /** @param {any} e */
    onContact(e) {
      const phone = dataOf(e, 'phone');
      if (phone) wx.makePhoneCall({ phoneNumber: String(phone) });
      else wx.showToast({ title: '该评价机构暂未提供联系电话', icon: 'none' });
    },
  },
});
