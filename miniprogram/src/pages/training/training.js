/**
 * 培训意向登记: occupation (from the server's catalogue), desired level, city, preferred
 * time, a contact phone (typed, or the WeChat phone bound to the account), a note and the
 * consent to be contacted by training institutions of that city; and the candidate's own
 * intentions, each of which can be withdrawn.
 */
const simpleForm = require('../../behaviors/simple-form');
const mineTab = require('../../behaviors/mine-tab');
const api = require('../../services/api');
const { explainDenied } = require('../../services/privacy');
const { loadMeta } = require('../../services/meta');
const { fieldErrors } = require('../../services/errors');
const tr = require('../../utils/training');
const { nameOf } = require('../../utils/format');
const { toastError, toastOk, confirm, dataOf, loadList } = require('../../utils/ui');

/** @typedef {{ code: string, name: string }} Option */

/** @param {Option[]} l */
const names = (l) => (l || []).map((o) => o.name);

Component({
  behaviors: [simpleForm, mineTab],
  data: {
    tab: 'new',
    form: tr.emptyForm(),
    errors: /** @type {Record<string, string>} */ ({}),
    occupations: /** @type {Option[]} */ ([]),
    occupationNames: /** @type {string[]} */ ([]),
    levels: /** @type {Option[]} */ ([]),
    levelNames: /** @type {string[]} */ ([]),
    cities: /** @type {Option[]} */ ([]),
    cityNames: /** @type {string[]} */ ([]),
    labels: { occupation: '请选择职业', level: '请选择等级', city: '请选择城市' },
    boundPhone: '',
    consentText: '同意后，所选城市的培训机构可以看到您的姓名、联系电话和培训意向，并与您联系培训事宜；撤回意向后即不再可见。',
    timeMax: tr.PREFERRED_TIME_MAX,
    noteMax: tr.NOTE_MAX,
    submitting: false,
    listState: 'loading',
    listError: '',
    items: /** @type {any[]} */ ([]),
  },
  observers: {
    /** @param {import('../../utils/training').IntentionForm} form */
    'form.**'(form) {
      const d = this.data;
      /** @type {Record<string, string>} */
      const errors = {};
      if (Object.keys(d.errors).length) {
        const now = tr.localErrors(form, !!d.boundPhone);
        Object.keys(d.errors).forEach((k) => {
          if (now[k]) errors[k] = now[k];
        });
      }
      this.setData({
        errors,
        labels: {
          occupation: nameOf(d.occupations, form.occupation) || '请选择职业',
          level: nameOf(d.levels, form.level) || '请选择等级',
          city: nameOf(d.cities, form.city) || '请选择城市',
        },
      });
    },
  },
  methods: {
    /** @param {Record<string, string>} query tab=mine opens the list */
    onLoad(query) {
      this.setData({ tab: query && query.tab === 'mine' ? 'mine' : 'new' });
      if (this.data.tab === 'mine') this.loadList();
      return this.loadChoices();
    },

    async loadChoices() {
      const [meta, me] = await Promise.all([loadMeta(), api.me().catch(() => null)]);
      /** @type {Option[]} */
      const occupations = meta.training_occupations || meta.occupations || [];
      /** @type {Option[]} */
      const cities = meta.training_cities || meta.cities || [];
      this.setData({
        occupations,
        occupationNames: names(occupations),
        levels: meta.levels || [],
        levelNames: names(meta.levels),
        cities,
        cityNames: names(cities),
        boundPhone: (me && me.phone_masked) || '',
        form: Object.assign({}, this.data.form),
      });
    },

    loadList() {
      return loadList(this, () => api.trainingIntentions(), tr.intentionItem, { state: 'listState', error: 'listError' });
    },

    /** @param {any} e getPhoneNumber result: binds the WeChat phone, used when 联系电话 is empty */
    async onWxPhone(e) {
      const code = e && e.detail && e.detail.code;
      if (!code) {
        explainDenied(e && e.detail); // the guide declined: say why; else the user declined
        return;
      }
      try {
        const me = await api.bindPhone(code);
        this.setData({ boundPhone: me.phone_masked || '', form: Object.assign({}, this.data.form, { phone: '' }) });
      } catch (err) {
        toastError(err);
      }
    },

    async onSubmit() {
      if (this.data.submitting) return;
      const errors = tr.localErrors(this.data.form, !!this.data.boundPhone);
      if (Object.keys(errors).length) {
        this.setData({ errors });
        wx.showToast({ title: '请按提示修改标红的项目', icon: 'none' });
        return;
      }
      this.setData({ submitting: true });
      try {
        await api.createIntention(tr.toPayload(this.data.form));
        toastOk('登记成功');
        this.setData({ form: tr.emptyForm(), errors: {}, tab: 'mine' });
        await this.loadList();
      } catch (err) {
        const fe = fieldErrors(err);
        if (Object.keys(fe).length) {
          this.setData({ errors: fe });
          wx.showToast({ title: '请按提示修改标红的项目', icon: 'none' });
        } else {
          toastError(err);
        }
      } finally {
        this.setData({ submitting: false });
      }
    },

    /** @param {any} e */
    async onWithdraw(e) {
      const id = dataOf(e, 'id');
      if (!(await confirm('撤回培训意向', '撤回后培训机构将不再看到这条意向和您的联系方式，确定撤回吗？', '撤回'))) return;
      try {
        await api.deleteIntention(id);
        toastOk('已撤回');
        await this.loadList();
      } catch (err) {
        toastError(err);
      }
    },
  },
});
