/** 评价计划详情: every confirmation field, seats left, the contact (call) and 用报名码报名. */
const api = require('../../services/api');
const { messageOf } = require('../../services/errors');
const { planConfirmRows, statusTone } = require('../../utils/plan');
const { orDash } = require('../../utils/format');

Component({
  data: {
    id: '',
    state: 'loading',
    errorText: '',
    title: '',
    statusName: '',
    tone: 'default',
    rows: /** @type {{k: string, v: string}[]} */ ([]),
    contactName: '',
    contactPhone: '',
    open: false,
  },
  methods: {
    /** @param {Record<string, string>} query */
    onLoad(query) {
      this.setData({ id: String(query.id || '') });
      return this.load();
    },
    async load() {
      try {
        const p = await api.plan(this.data.id);
        const rows = planConfirmRows(p);
        rows.splice(rows.length - 4, 0, { k: '报名开始日期', v: orDash(p.reg_start) });
        this.setData({
          state: 'ready',
          title: p.plan_name || '',
          statusName: p.status_name || '',
          tone: statusTone(p.status, p.status_name),
          rows,
          contactName: p.contact_name || '',
          contactPhone: p.contact_phone || '',
          open: p.status === 'open',
        });
        wx.setNavigationBarTitle({ title: p.occupation_name ? `${p.occupation_name} · ${p.level_name || ''}` : '评价计划详情' });
      } catch (err) {
        this.setData({ state: 'error', errorText: messageOf(err) });
      }
    },
    onCall() {
      if (this.data.contactPhone) wx.makePhoneCall({ phoneNumber: this.data.contactPhone });
    },
    onRegister() {
      wx.navigateTo({ url: '/pages/register/register' });
    },
  },
});
