/**
 * 外部督导情况反馈. The feedback API is not released yet (issue 9): the form can be filled
 * in but submitting is clearly marked 即将开放 and sends nothing.
 */
const simpleForm = require('../../behaviors/simple-form');
const { loadMeta } = require('../../services/meta');
const { COMING_SOON } = require('../../constants/texts');

Component({
  behaviors: [simpleForm],
  data: {
    comingSoon: COMING_SOON,
    categories: /** @type {{code: string, name: string}[]} */ ([]),
    categoryNames: /** @type {string[]} */ ([]),
    categoryLabel: '请选择反馈类别',
    form: { plan_no: '', category: '', content: '', anonymous: false, contact: '' },
  },
  observers: {
    /** @param {string} code */
    'form.category'(code) {
      const hit = this.data.categories.find((c) => c.code === code);
      this.setData({ categoryLabel: hit ? hit.name : '请选择反馈类别' });
    },
  },
  methods: {
    async onLoad() {
      const meta = await loadMeta();
      /** @type {{code: string, name: string}[]} */
      const categories = meta.feedback_categories && meta.feedback_categories.length ? meta.feedback_categories : [];
      this.setData({ categories, categoryNames: categories.map((c) => c.name) });
    },
  },
});
