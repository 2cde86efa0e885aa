/** Typed-by-comment calls for every endpoint the mini-program uses (docs/API.md). */
const { request, withQuery } = require('./request');

const V1 = '/api/v1';

module.exports = {
  meta: () => request({ path: `${V1}/meta`, auth: false }),

  /** @param {Record<string, any>} q level, occupation, city, status, sort, page, page_size */
  plans: (q) => request({ path: withQuery(`${V1}/plans`, q), auth: false }),
  /** @param {number|string} id */
  plan: (id) => request({ path: `${V1}/plans/${id}`, auth: false }),

  me: () => request({ path: `${V1}/me` }),
  /** @param {{ name: string, id_type: string, id_number: string, gender?: string, birth_date?: string, privacy_consent: boolean, consent_version: string }} body */
  putIdentity: (body) => request({ method: 'PUT', path: `${V1}/me/identity`, data: body }),
  /** @param {string} code getPhoneNumber code */
  bindPhone: (code) => request({ method: 'POST', path: `${V1}/me/phone`, data: { code } }),
  /** @param {Record<string, any>} body {} for the bound identity, or name, id_type, id_number, privacy_consent, consent_version */
  startFaceVerification: (body) => request({ method: 'POST', path: `${V1}/me/face-verification`, data: body }),
  /** @param {string} verifyId */
  finishFaceVerification: (verifyId) =>
    request({ method: 'POST', path: `${V1}/me/face-verification/result`, data: { verify_id: verifyId } }),
  oaBindCode: () => request({ method: 'POST', path: `${V1}/me/oa-bind-code` }),
  /** @param {Record<string, string>} results template id → accept|reject|ban|filter */
  reportSubscriptions: (results) =>
    request({ method: 'POST', path: `${V1}/me/subscriptions`, data: { results } }),
  logout: () => request({ method: 'POST', path: `${V1}/auth/logout` }),
  /** The copy of the candidate's data as a zip (我的数据.json and the files): a download. */
  exportPath: `${V1}/me/export?format=zip`,
  /** 注销账号: the server refuses (409 account_in_use) while a registration is in progress. */
  deleteAccount: () => request({ method: 'DELETE', path: `${V1}/me`, data: { confirm: true } }),

  /** @param {string} code */
  lookupCode: (code) => request({ method: 'POST', path: `${V1}/registration-codes/lookup`, data: { code } }),
  /** @param {string} code */
  createRegistration: (code) => request({ method: 'POST', path: `${V1}/registrations`, data: { code } }),
  registrations: () => request({ path: `${V1}/registrations` }),
  /** @param {number|string} id */
  registration: (id) => request({ path: `${V1}/registrations/${id}` }),
  /** @param {number|string} id @param {Record<string, any>} fields */
  saveRegistration: (id, fields) => request({ method: 'PUT', path: `${V1}/registrations/${id}`, data: fields }),
  /** @param {number|string} id */
  checklist: (id) => request({ path: `${V1}/registrations/${id}/checklist` }),
  /** @param {number|string} id */
  attachments: (id) => request({ path: `${V1}/registrations/${id}/attachments` }),
  /** @param {number|string} id @param {number|string} aid */
  deleteAttachment: (id, aid) =>
    request({ method: 'DELETE', path: `${V1}/registrations/${id}/attachments/${aid}` }),
  /** @param {number|string} id */
  // A repeated submit answers the registration as it is (no second seat), so a
  // submit lost to the network or to a replica that died is sent again.
  submitRegistration: (id) =>
    request({ method: 'POST', path: `${V1}/registrations/${id}/submit`, idempotent: true }),
  /** 有空位提醒我 on a full plan. @param {number|string} planId */
  watchSeats: (planId) => request({ method: 'POST', path: `${V1}/plans/${planId}/seat-watch` }),
  /** @param {number|string} id */
  cancelRegistration: (id) => request({ method: 'POST', path: `${V1}/registrations/${id}/cancel` }),

  /** @param {number|string} id the admission ticket (准考证) of a registration */
  ticket: (id) => request({ path: `${V1}/registrations/${id}/ticket` }),

  certificates: () => request({ path: `${V1}/certificates` }),
  /** @param {number|string} registrationId */
  certificate: (registrationId) => request({ path: `${V1}/certificates/${registrationId}` }),

  /** @param {number|string} id */
  attachmentPath: (id) => `${V1}/registrations/${id}/attachments`,

  /** @param {Record<string, any>} [q] page, page_size */
  feedbackList: (q) => request({ path: withQuery(`${V1}/feedback`, q) }),
  /** @param {Record<string, any>} body registration_id or plan_no, category, content, contact_pref, contact_phone, anonymous */
  createFeedback: (body) => request({ method: 'POST', path: `${V1}/feedback`, data: body }),
  /** @param {number|string} id feedback id: where its photos are uploaded, one a request */
  feedbackImagesPath: (id) => `${V1}/feedback/${id}/images`,

  trainingIntentions: () => request({ path: `${V1}/training-intentions` }),
  /** @param {Record<string, any>} body occupation, level, city, preferred_time, phone, note, contact_consent */
  createIntention: (body) => request({ method: 'POST', path: `${V1}/training-intentions`, data: body }),
  /** @param {number|string} id */
  deleteIntention: (id) => request({ method: 'DELETE', path: `${V1}/training-intentions/${id}` }),
};
