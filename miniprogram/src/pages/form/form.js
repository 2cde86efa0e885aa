/**
 * 考生报名 (step 3): the registration form. Unsaved input is kept in storage on every
 * change, so it survives leaving the page and an expired session (the request wrapper
 * re-logs in silently); 保存 sends it, 提交 asks for subscribe consent from the tap,
 * saves and submits.
 */
const api = require('../../services/api');
const { explainDenied } = require('../../services/privacy');
const { upload } = require('../../services/upload');
const { loadMeta } = require('../../services/meta');
const { askConsent, reportConsent, templateIdsFor } = require('../../services/subscribe');
const { ApiError, fieldErrors, messageOf } = require('../../services/errors');
const { basisChoices, applyBasis, findBasis } = require('../../utils/basis');
const rf = require('../../utils/regform');
const { statusTone } = require('../../utils/format');
const { loadDraft, saveDraft, clearDraft } = require('../../utils/draft');
const { chooseFile } = require('../../utils/files');
const { requiredMap } = require('../../utils/required');
const { openAttachment } = require('../../services/download');
const { toastError, toastOk, confirm, dataOf } = require('../../utils/ui');
const { EMPLOYER_MAX } = require('../../utils/validate');
const { COMMITMENT, EMPLOYER_HINT, EMPLOYER_WARNING } = require('../../constants/texts');

/** Events worth a subscribe message when submitting, most important first. */
// Outbox event kinds (GET /api/v1/meta subscribe_templates[].event); WeChat takes at most three per request.
const SUBMIT_EVENTS = ['registration.approved', 'registration.returned', 'exam.reminder'];
/** What 有空位提醒我 asks consent for. */
const SEAT_EVENTS = ['plan.seat_freed'];

Component({
  data: {
    id: '',
    state: 'loading',
    errorText: '',
    meta: /** @type {Record<string, any>} */ ({}),
    planTitle: '',
    statusName: '',
    tone: 'default',
    reviewNote: '',
    editable: false,
    serverLocked: /** @type {string[]} */ ([]),
    saved: /** @type {Record<string, any>} */ ({}),
    required: /** @type {Record<string, boolean>} */ ({}),
    isDraft: false,
    lockNote: '',
    editableItems: /** @type {string[] | null} */ (null),
    seatWatch: { visible: false, planId: 0, busy: false },
    identityRows: /** @type {{k: string, v: string}[]} */ ([]),
    bases: /** @type {{code: string, name: string, disabled: boolean}[]} */ ([]),
    basisHint: '',
    form: /** @type {Record<string, any>} */ ({}),
    pick: /** @type {Record<string, any>} */ ({}),
    locked: /** @type {Record<string, boolean>} */ ({}),
    errors: /** @type {Record<string, string>} */ ({}),
    phoneHint: '',
    checklist: /** @type {any[]} */ ([]),
    attachments: /** @type {any[]} */ ([]),
    upload: { visible: false, active: false, percent: 0, failed: false, message: '', fileName: '', filePath: '', item: '' },
    warning: { visible: false, message: '' },
    /** The employer whose mismatch warning the candidate has read (知道了). */
    warningRead: false,
    warningReadFor: '',
    /** A submit waits for the employer warning to be read. */
    submitAfterWarning: false,
    saving: false,
    submitting: false,
    employerMax: EMPLOYER_MAX,
    employerCounter: `0 / ${EMPLOYER_MAX}`,
    employerHint: EMPLOYER_HINT,
    commitment: COMMITMENT,
  },
  methods: {
    /** @param {Record<string, string>} query */
    onLoad(query) {
      this.setData({ id: String(query.id || '') });
      return this.load();
    },

    draftKey() {
      return `registration-${this.data.id}`;
    },

    async load() {
      this.setData({ state: 'loading' });
      try {
        const [meta, reg] = await Promise.all([loadMeta(), api.registration(this.data.id)]);
        this.setData({ meta });
        const draft = loadDraft(this.draftKey());
        const form = Object.assign(rf.formFromRegistration(reg), reg.editable && draft ? draft : {});
        this.showRegistration(reg, form);
        this.setData({ state: 'ready' });
        this.refreshFiles();
      } catch (err) {
        this.setData({ state: 'error', errorText: messageOf(err) });
      }
    },

    /**
     * @param {any} reg Registration
     * @param {Record<string, any>} form values to show
     */
    showRegistration(reg, form) {
      const p = reg.plan || {};
      const idn = reg.identity || {};
      this.setData({
        planTitle: `${p.occupation_name || ''} · ${p.level_name || ''}（计划编号 ${p.plan_no || ''}）`,
        statusName: reg.status_name || '',
        tone: statusTone(reg.status, reg.status_name),
        reviewNote: reg.review_note || '',
        editable: !!reg.editable,
        serverLocked: reg.locked_fields || [],
        saved: reg,
        isDraft: reg.status === 'draft',
        lockNote: reg.lock_note || '',
        editableItems: reg.editable_items || null,
        bases: this.offeredBases(p.level),
        identityRows: [
          { k: '姓名', v: idn.name || '' },
          { k: '证件类型', v: idn.id_type_name || '' },
          { k: '证件号码', v: idn.id_number_masked || '' },
          { k: '性别', v: idn.gender || '' },
          { k: '出生日期', v: idn.birth_date || '' },
        ],
      });
      this.setForm(form);
    },

    /**
     * The bases this plan's level allows, limited to those the province offers (/meta).
     * @param {number} level
     */
    offeredBases(level) {
      /** @type {{code: string}[]} */
      const offered = this.data.meta.bases || [];
      return basisChoices(this.data.meta, level).filter((b) => !offered.length || offered.some((o) => o.code === b.code));
    },

    /**
     * Shows form values and everything derived from them.
     * @param {Record<string, any>} form
     */
    setForm(form) {
      const rule = findBasis(this.data.meta, form.basis);
      this.setData({
        form,
        pick: rf.pickerState(form, this.data.meta),
        locked: rf.lockedMap(this.data.meta, this.data.serverLocked, form.basis, this.data.editable),
        required: requiredMap(this.data.meta, form.basis, this.data.saved),
        basisHint: rule ? rule.hint : '',
        employerCounter: `${String(form.employer || '').length} / ${EMPLOYER_MAX}`,
      });
    },

    /**
     * A user edit: show it, check it, keep it in storage.
     * @param {Record<string, any>} changes
     */
    edit(changes) {
      const form = Object.assign({}, this.data.form, changes);
      const local = rf.localErrors(form);
      const errors = Object.assign({}, this.data.errors);
      Object.keys(changes).forEach((f) => {
        if (local[f]) errors[f] = local[f];
        else delete errors[f];
      });
      this.setForm(form);
      this.setData({ errors });
      saveDraft(this.draftKey(), form);
    },

    /** @param {any} e */
    onInput(e) {
      const field = String(dataOf(e, 'field'));
      if (this.data.locked[field]) return;
      this.edit({ [field]: e.detail.value });
    },

    /** @param {any} e */
    onPick(e) {
      const field = String(dataOf(e, 'field'));
      if (this.data.locked[field]) return;
      this.edit({ [field]: rf.codeAt(field, Number(e.detail.value), this.data.meta) });
    },

    /** @param {any} e */
    onBasis(e) {
      const code = String(dataOf(e, 'code'));
      const choice = this.data.bases.find((b) => b.code === code);
      if (!choice || choice.disabled || this.data.locked.basis) return;
      const next = applyBasis(this.data.meta, code, this.data.form).form;
      /** @type {Record<string, any>} */
      const changes = {};
      Object.keys(next).forEach((k) => {
        if (next[k] !== this.data.form[k]) changes[k] = next[k];
      });
      this.edit(changes);
      this.setData({ checklist: rf.localChecklist(this.data.meta, code) });
    },

    /** @param {any} e */
    onCommit(e) {
      if (this.data.locked.commitment_accepted) return;
      this.edit({ commitment_accepted: !!e.detail.checked });
    },

    /** @param {any} e getPhoneNumber result */
    async onWxPhone(e) {
      const code = e && e.detail && e.detail.code;
      if (!code) {
        explainDenied(e && e.detail); // the guide declined: say why; else the user declined
        return;
      }
      try {
        const me = await api.bindPhone(code);
        const reg = await api.registration(this.data.id);
        if (reg.phone && !this.data.form.phone) this.edit({ phone: reg.phone });
        this.setData({ phoneHint: reg.phone ? '' : `已绑定微信手机号 ${me.phone_masked}，请在此填写用于报名联系的完整号码` });
      } catch (err) {
        toastError(err);
      }
    },

    /** Checklist and attachment list from the server. */
    async refreshFiles() {
      try {
        const [checklist, files] = await Promise.all([api.checklist(this.data.id), api.attachments(this.data.id)]);
        const open = this.data.editableItems;
        const itemLocked = (/** @type {string} */ key) => !!open && open.indexOf(key) < 0;
        this.setData({
          checklist: (checklist.items || []).map((/** @type {any} */ c) => Object.assign({}, c, { locked: itemLocked(c.key) })),
          attachments: rf.attachmentRows(files.items).map((/** @type {any} */ a, /** @type {number} */ i) => {
            const f = (files.items || [])[i] || {};
            return Object.assign({}, a, { item: f.item, content_type: f.content_type, locked: itemLocked(f.item) });
          }),
        });
      } catch (err) {
        if (!this.data.checklist.length) this.setData({ checklist: rf.localChecklist(this.data.meta, this.data.form.basis) });
      }
    },

    /**
     * Sends the form. Field errors land at their fields; returns the saved registration
     * or null.
     */
    async save() {
      const local = rf.localErrors(this.data.form);
      if (Object.keys(local).length) {
        this.setData({ errors: local });
        return null;
      }
      try {
        const reg = await api.saveRegistration(this.data.id, rf.toPayload(this.data.form));
        clearDraft(this.draftKey());
        this.setData({ errors: {}, serverLocked: reg.locked_fields || [], statusName: reg.status_name || '', saved: reg });
        this.setForm(rf.formFromRegistration(reg));
        const w = (reg.warnings || []).find((/** @type {any} */ x) => x.code === 'employer_mismatch');
        // The warning informs, it never blocks: once read (知道了) for this employer it
        // is not shown again until the employer changes.
        if (w && !(this.data.warningRead && this.data.warningReadFor === this.data.form.employer)) {
          this.setData({ warning: { visible: true, message: w.message || EMPLOYER_WARNING } });
        }
        return reg;
      } catch (err) {
        const errors = fieldErrors(err);
        if (Object.keys(errors).length) {
          this.setData({ errors });
          wx.showToast({ title: '请按提示修改标红的项目', icon: 'none' });
        } else {
          toastError(err);
        }
        return null;
      }
    },

    async onSave() {
      if (this.data.saving || this.data.submitting) return;
      this.setData({ saving: true });
      const reg = await this.save();
      this.setData({ saving: false });
      if (reg) {
        toastOk('已保存');
        this.refreshFiles();
      }
    },

    onSubmit() {
      if (this.data.saving || this.data.submitting) return;
      // Must run synchronously inside the tap: WeChat only shows the consent dialog then.
      const consent = askConsent(templateIdsFor(this.data.meta.subscribe_templates, SUBMIT_EVENTS));
      this.setData({ submitting: true });
      return this.submit(consent).finally(() => this.setData({ submitting: false }));
    },

    /** @param {Promise<Record<string, string>>} consent */
    async submit(consent) {
      await consent.then(reportConsent);
      if (!this.data.form.commitment_accepted) {
        this.setData({ errors: Object.assign({}, this.data.errors, { commitment_accepted: '请阅读并勾选承诺' }) });
        return;
      }
      const saved = await this.save();
      if (!saved) return; // a failed save shows its errors
      if (this.data.warning.visible) {
        // The employer warning is read first; 知道了 then goes on with the submit.
        this.setData({ submitAfterWarning: true });
        return;
      }
      await this.send();
    },

    /** Submits the saved registration and opens its record. */
    async send() {
      try {
        await api.submitRegistration(this.data.id);
        clearDraft(this.draftKey());
        toastOk('提交成功');
        wx.redirectTo({ url: `/pages/record/record?id=${this.data.id}` });
      } catch (err) {
        if (err instanceof ApiError && err.code === 'incomplete') {
          const missing = (err.body && err.body.missing) || {};
          const items = missing.items || [];
          this.setData({
            errors: Object.assign(rf.missingErrors(missing), fieldErrors(err)),
            checklist: this.data.checklist.map((c) => Object.assign({}, c, { missing: items.indexOf(c.key) >= 0 })),
          });
          wx.showToast({ title: '信息不完整，请按提示补充', icon: 'none' });
        } else if (err instanceof ApiError && err.code === 'plan_full') {
          // Drafts hold no seat: offer 有空位提醒我 where plan_full is answered.
          const planId = (err.body && err.body.plan_id) || (this.data.saved.plan || {}).id || 0;
          this.setData({ seatWatch: { visible: true, planId, busy: false } });
        } else if (err instanceof ApiError && err.code === 'identity_unverified') {
          // The plan takes verified identities only: lead to 实名核验.
          if (await confirm('需要实名核验', err.message, '去核验')) wx.navigateTo({ url: '/pages/verify/verify' });
        } else {
          toastError(err);
        }
      }
    },

    /** 有空位提醒我: consent from the tap, then the watch. */
    onSeatWatch() {
      if (this.data.seatWatch.busy) return undefined;
      const consent = askConsent(templateIdsFor(this.data.meta.subscribe_templates, SEAT_EVENTS));
      this.setData({ 'seatWatch.busy': true });
      return consent
        .then(reportConsent)
        .then(() => api.watchSeats(this.data.seatWatch.planId))
        .then(() => {
          this.setData({ seatWatch: { visible: false, planId: 0, busy: false } });
          toastOk('有空位时将提醒您');
        })
        .catch((err) => {
          this.setData({ 'seatWatch.busy': false });
          toastError(err);
        });
    },

    onSeatWatchClose() {
      this.setData({ seatWatch: { visible: false, planId: 0, busy: false } });
    },

    /** Opens an uploaded attachment: images in the preview, PDF in the viewer. @param {any} e */
    async onOpen(e) {
      const aid = dataOf(e, 'id');
      const a = this.data.attachments.find((/** @type {any} */ x) => String(x.id) === String(aid));
      if (!a) return;
      try {
        const ok = await openAttachment(`${api.attachmentPath(this.data.id)}/${aid}`, a.content_type);
        if (!ok) wx.showToast({ title: '压缩包无法在手机上打开，可删除后重新上传', icon: 'none' });
      } catch (err) {
        toastError(err);
      }
    },

    onWarningClose() {
      this.setData({ warning: { visible: false, message: '' }, warningRead: true, warningReadFor: this.data.form.employer });
      if (!this.data.submitAfterWarning || this.data.submitting || this.data.saving) return undefined;
      this.setData({ submitAfterWarning: false, submitting: true });
      return this.send().finally(() => this.setData({ submitting: false }));
    },

    /** @param {any} e */
    async onUpload(e) {
      if (this.data.upload.active) return;
      const item = String(dataOf(e, 'item'));
      const file = await chooseFile();
      if (!file) return;
      await this.sendFile(item, file.path, file.name);
    },

    onUploadRetry() {
      const u = this.data.upload;
      if (u.active || !u.filePath) return undefined;
      return this.sendFile(u.item, u.filePath, u.fileName);
    },

    /**
     * @param {string} item checklist key
     * @param {string} filePath
     * @param {string} fileName
     */
    async sendFile(item, filePath, fileName) {
      this.setData({ upload: { visible: true, active: true, percent: 0, failed: false, message: '', fileName, filePath, item } });
      try {
        await upload({
          path: api.attachmentPath(this.data.id),
          filePath,
          formData: { item },
          onProgress: (percent) => this.setData({ 'upload.percent': percent }),
        });
        this.setData({ upload: Object.assign({}, this.data.upload, { active: false, percent: 100, visible: false }) });
        toastOk('上传成功');
        await this.refreshFiles();
      } catch (err) {
        this.setData({ upload: Object.assign({}, this.data.upload, { active: false, failed: true, message: messageOf(err) }) });
      }
    },

    /** @param {any} e */
    async onDelete(e) {
      const aid = dataOf(e, 'id');
      if (!(await confirm('删除附件', '确定删除该附件吗？', '删除'))) return;
      try {
        await api.deleteAttachment(this.data.id, aid);
        await this.refreshFiles();
      } catch (err) {
        toastError(err);
      }
    },
  },
});
