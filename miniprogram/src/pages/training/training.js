/**
 * 培训意向登记. The training-intention API is not released yet (issue 9): the form can be
 * filled in but submitting is clearly marked 即将开放 and sends nothing.
 */
const simpleForm = require('../../behaviors/simple-form');
const { loadMeta } = require('../../services/meta');
const { nameOf } = require('../../utils/format');
const { COMING_SOON } = require('../../constants/texts');

/** @typedef {{ code: string, name: string }} Option */

Component({
  behaviors: [simpleForm],
  data: {
    comingSoon: COMING_SOON,
    occupations: /** @type {Option[]} */ ([]),
    occupationNames: /** @type {string[]} */ ([]),
    levels: /** @type {Option[]} */ ([]),
    levelNames: /** @type {string[]} */ ([]),
    cities: /** @type {Option[]} */ ([]),
    cityNames: /** @type {string[]} */ ([]),
    labels: { occupation: '请选择职业', level: '请选择等级', city: '请选择城市' },
    form: { occupation: '', level: '', city: '', preferred_time: '', phone: '', note: '', contact_consent: false },
  },
  observers: {
    /**
     * @param {string} occupation
     * @param {string} level
     * @param {string} city
     */
    'form.occupation, form.level, form.city'(occupation, level, city) {
      const d = this.data;
      this.setData({
        labels: {
          occupation: nameOf(d.occupations, occupation) || '请选择职业',
          level: nameOf(d.levels, level) || '请选择等级',
          city: nameOf(d.cities, city) || '请选择城市',
        },
      });
    },
  },
  methods: {
    async onLoad() {
      const meta = await loadMeta();
      /** @param {Option[]} l */
      const names = (l) => (l || []).map((o) => o.name);
      this.setData({
        occupations: meta.occupations || [],
        occupationNames: names(meta.occupations),
        levels: meta.levels || [],
        levelNames: names(meta.levels),
        cities: meta.cities || [],
        cityNames: names(meta.cities),
      });
    },
  },
});
