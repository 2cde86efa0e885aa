/**
 * The API's one error shape (docs/API.md, Errors) as a JS error with Chinese messages.
 */

/** @type {Record<number, string>} */
const STATUS_MESSAGES = {
  400: '填写的信息有误，请检查后重试',
  401: '登录已失效，请重新进入小程序',
  403: '没有权限进行此操作',
  404: '未找到相关信息',
  409: '当前状态不允许此操作',
  413: '文件过大，请压缩后重新上传',
  429: '操作过于频繁，请稍后再试',
  500: '服务异常，请稍后再试',
  503: '服务暂时不可用，请稍后再试',
};

const NETWORK_MESSAGE = '网络连接失败，请检查网络后重试';

/** @typedef {{ field: string, code: string, message: string }} FieldError */

class ApiError extends Error {
  /**
   * @param {{ status: number, code: string, message: string, field?: string,
   *   fields?: FieldError[], body?: any }} init
   */
  constructor(init) {
    super(init.message);
    this.name = 'ApiError';
    /** HTTP status; 0 for a network failure. */
    this.status = init.status;
    this.code = init.code;
    this.field = init.field || '';
    /** @type {FieldError[]} */
    this.fields = init.fields || [];
    /** The whole response body, for extra keys such as `registration` or `missing`. */
    this.body = init.body || null;
  }

  /** @returns {boolean} */
  get isNetwork() {
    return this.status === 0;
  }
}

/**
 * @param {number} status
 * @param {any} body
 * @returns {ApiError}
 */
function fromResponse(status, body) {
  const e = body && typeof body === 'object' && body.error && typeof body.error === 'object' ? body.error : {};
  const message =
    (typeof e.message === 'string' && e.message) ||
    STATUS_MESSAGES[status] ||
    (status >= 500 ? STATUS_MESSAGES[500] : STATUS_MESSAGES[400]);
  return new ApiError({
    status,
    code: typeof e.code === 'string' ? e.code : `http_${status}`,
    message,
    field: typeof e.field === 'string' ? e.field : '',
    fields: Array.isArray(e.fields) ? e.fields : [],
    body,
  });
}

/**
 * @param {string} [detail] wx errMsg, kept for logs
 * @returns {ApiError}
 */
function networkError(detail) {
  return new ApiError({ status: 0, code: 'network', message: NETWORK_MESSAGE, body: { detail: detail || '' } });
}

/**
 * Field → message map from a validation error (every field in `fields`, plus `field`).
 * @param {any} err
 * @returns {Record<string, string>}
 */
function fieldErrors(err) {
  /** @type {Record<string, string>} */
  const out = {};
  if (!(err instanceof ApiError)) return out;
  err.fields.forEach((f) => {
    if (f && f.field && !out[f.field]) out[f.field] = f.message || STATUS_MESSAGES[400];
  });
  if (err.field && !out[err.field]) out[err.field] = err.message;
  return out;
}

/**
 * A message to show for any thrown value.
 * @param {any} err
 * @returns {string}
 */
function messageOf(err) {
  if (err instanceof ApiError) return err.message;
  return STATUS_MESSAGES[500];
}

module.exports = { ApiError, fromResponse, networkError, fieldErrors, messageOf, NETWORK_MESSAGE };
