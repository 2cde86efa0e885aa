/**
 * 外部督导情况反馈: a form sent to the supervisor of the plan's 业务监管地 (never to the
 * institution), and the candidate's own feedback with the supervisor's status and reply.
 * The text goes first (POST /feedback); photos follow one a request (wx.uploadFile sends
 * one file), with progress and a retry that resumes where it failed.
 */
const simpleForm = require('../../behaviors/simple-form');
const mineTab = require('../../behaviors/mine-tab');
const api = require('../../services/api');
const { upload } = require('../../services/upload');
const { loadMeta } = require('../../services/meta');
const { askConsent, reportConsent } = require('../../services/subscribe');
const { fieldErrors, messageOf } = require('../../services/errors');
const fb = require('../../utils/feedback');
const { isDenied, DENIED_TEXT } = require('../../services/privacy');
const { nameOf } = require('../../utils/format');
const { toastError, toastOk, dataOf, loadList } = require('../../utils/ui');

/** Server event names of a reply, for the subscribe consent. */
const REPLY_EVENTS = ['feedback.replied', 'feedback_replied'];
const DEFAULT_PREFS = [
  { code: 'in_app', name: '小程序内答复' },
  { code: 'phone', name: '电话联系' },
];

/** @typedef {{ path: string, size: number }} Picked */

Component({
  behaviors: [simpleForm, mineTab],
  data: {
    tab: 'new',
    form: fb.emptyForm(),
    errors: /** @type {Record<string, string>} */ ({}),
    labels: { target: '请选择报名记录或评价计划', category: '请选择反馈类别', contact_pref: '小程序内答复' },
    targets: /** @type {{code: string, name: string}[]} */ ([]),
    targetNames: /** @type {string[]} */ ([]),
    categories: /** @type {{code: string, name: string}[]} */ ([]),
    categoryNames: /** @type {string[]} */ ([]),
    prefs: DEFAULT_PREFS,
    prefNames: DEFAULT_PREFS.map((p) => p.name),
    phonePlaceholder: '请输入手机号码',
    images: /** @type {Picked[]} */ ([]),
    maxImages: fb.MAX_IMAGES,
    maxContent: fb.CONTENT_MAX,
    replyTemplates: /** @type {string[]} */ ([]),
    submitting: false,
    sending: { visible: false, id: 0, next: 0, total: 0, percent: 0, failed: false, message: '' },
    listState: 'loading',
    listError: '',
    items: /** @type {any[]} */ ([]),
  },
  observers: {
    /** @param {import('../../utils/feedback').FeedbackForm} form */
    'form.**'(form) {
      const d = this.data;
      /** @type {Record<string, string>} */
      const errors = {};
      if (Object.keys(d.errors).length) {
        // Recheck only the fields already marked, so an error goes as soon as it is fixed.
        const now = fb.localErrors(form);
        Object.keys(d.errors).forEach((k) => {
          if (now[k]) errors[k] = now[k];
          else if (!(k in fb.emptyForm())) errors[k] = d.errors[k];
        });
      }
      this.setData({
        errors,
        labels: {
          target: nameOf(d.targets, form.target) || '请选择报名记录或评价计划',
          category: nameOf(d.categories, form.category) || '请选择反馈类别',
          contact_pref: nameOf(d.prefs, form.contact_pref) || '小程序内答复',
        },
      });
    },
  },
  methods: {
    /**
     * @param {Record<string, string>} query tab=mine, or id=<feedback id> (the reply
     * notification's link), opens the list
     */
    onLoad(query) {
      const q = query || {};
      this.setData({ tab: q.tab === 'mine' || q.id ? 'mine' : 'new' });
      if (this.data.tab === 'mine') this.loadList();
      return this.loadChoices();
    },

    async loadChoices() {
      const [meta, regs, me] = await Promise.all([
        loadMeta(),
        api.registrations().catch(() => ({ items: [] })),
        api.me().catch(() => null),
      ]);
      const categories = meta.feedback_categories || [];
      const prefs = meta.contact_prefs && meta.contact_prefs.length ? meta.contact_prefs : DEFAULT_PREFS;
      const targets = fb.targetOptions(regs.items || []);
      const templates = /** @type {{event: string, template_id: string}[]} */ (meta.subscribe_templates || []);
      this.setData({
        categories,
        categoryNames: categories.map((/** @type {any} */ c) => c.name),
        prefs,
        prefNames: prefs.map((/** @type {any} */ p) => p.name),
        targets,
        targetNames: targets.map((t) => t.name),
        replyTemplates: templates.filter((t) => REPLY_EVENTS.indexOf(t.event) >= 0).map((t) => t.template_id),
        phonePlaceholder: me && me.phone_masked ? `留空将使用已绑定的手机号 ${me.phone_masked}` : '请输入手机号码',
        form: Object.assign({}, this.data.form),
      });
    },

    loadList() {
      return loadList(this, () => api.feedbackList(), fb.feedbackItem, { state: 'listState', error: 'listError' });
    },

    onAddImage() {
      const left = fb.MAX_IMAGES - this.data.images.length;
      if (left <= 0) return;
      wx.chooseMedia({
        count: left,
        mediaType: ['image'],
        sourceType: ['album', 'camera'],
        sizeType: ['compressed'],
        success: (res) => {
          const picked = (res.tempFiles || []).map((f) => ({ path: f.tempFilePath, size: f.size }));
          const images = this.data.images.concat(picked).slice(0, fb.MAX_IMAGES);
          const errors = Object.assign({}, this.data.errors);
          delete errors.images;
          this.setData({ images, errors });
        },
        fail: (err) => {
          if (isDenied(err)) this.setData({ errors: Object.assign({}, this.data.errors, { images: DENIED_TEXT }) });
        },
      });
    },

    /** @param {any} e */
    onRemoveImage(e) {
      const i = Number(dataOf(e, 'index'));
      this.setData({ images: this.data.images.filter((_, k) => k !== i) });
    },

    onSubmit() {
      if (this.data.submitting || this.data.sending.visible) return undefined;
      // Inside the tap: WeChat only shows the consent dialog then.
      const consent = askConsent(this.data.replyTemplates);
      const errors = fb.localErrors(this.data.form);
      if (Object.keys(errors).length) {
        this.setData({ errors });
        wx.showToast({ title: '请按提示修改标红的项目', icon: 'none' });
        return consent.then(reportConsent);
      }
      this.setData({ submitting: true });
      return this.send(consent).finally(() => this.setData({ submitting: false }));
    },

    /** @param {Promise<Record<string, string>>} consent */
    async send(consent) {
      await consent.then(reportConsent);
      let created;
      try {
        created = await api.createFeedback(fb.toPayload(this.data.form));
      } catch (err) {
        const errors = fieldErrors(err);
        if (Object.keys(errors).length) {
          this.setData({ errors });
          wx.showToast({ title: '请按提示修改标红的项目', icon: 'none' });
        } else {
          toastError(err);
        }
        return;
      }
      const total = this.data.images.length;
      this.setData({ sending: { visible: total > 0, id: created.id, next: 0, total, percent: 0, failed: false, message: '' } });
      await this.sendImages();
    },

    /** Uploads the photos from the first not yet sent; a failure stops and offers 重试. */
    async sendImages() {
      const s = this.data.sending;
      for (let i = s.next; i < s.total; i++) {
        this.setData({ 'sending.next': i, 'sending.percent': 0, 'sending.failed': false });
        try {
          await upload({
            path: api.feedbackImagesPath(s.id),
            filePath: this.data.images[i].path,
            name: 'images',
            onProgress: (percent) => this.setData({ 'sending.percent': percent }),
          });
        } catch (err) {
          this.setData({ 'sending.failed': true, 'sending.message': messageOf(err) });
          return;
        }
      }
      this.finish('提交成功');
    },

    onRetryImages() {
      if (!this.data.sending.failed) return undefined;
      return this.sendImages();
    },

    /** Gives up the photos not sent: the feedback itself is already with the supervisor. */
    onSkipImages() {
      this.finish('反馈已提交');
    },

    /** @param {string} message */
    finish(message) {
      toastOk(message);
      this.setData({
        form: fb.emptyForm(),
        images: [],
        errors: {},
        sending: { visible: false, id: 0, next: 0, total: 0, percent: 0, failed: false, message: '' },
        tab: 'mine',
      });
      return this.loadList();
    },
  },
});
