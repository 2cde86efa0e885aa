/**
 * A fresh `wx` for every test: in-memory storage, a fake API server behind wx.request
 * and wx.uploadFile, and jest.fn() for everything a page may call.
 */

/**
 * @typedef {{ status?: number, body?: any, network?: boolean }} Reply
 * @typedef {(req: { method: string, path: string, data: any, header: any, match: RegExpMatchArray }) => Reply | Promise<Reply>} Handler
 */

function createServer() {
  /** @type {{ method: string, re: RegExp, handler: Handler }[]} */
  const routes = [];
  /** @type {{ method: string, path: string, data: any, header: any }[]} */
  const calls = [];
  return {
    routes,
    calls,
    /**
     * @param {string} method
     * @param {string | RegExp} path exact path (query ignored) or a pattern
     * @param {Handler | Reply} handler
     */
    on(method, path, handler) {
      const re = typeof path === 'string' ? new RegExp(`^${path.replace(/[.?+*()[\]{}]/g, '\\$&')}$`) : path;
      const h = typeof handler === 'function' ? handler : () => handler;
      routes.unshift({ method, re, handler: h });
      return this;
    },
    /** @param {string} method @param {string | RegExp} path */
    count(method, path) {
      return calls.filter((c) => c.method === method && (typeof path === 'string' ? c.path.split('?')[0] === path : path.test(c.path))).length;
    },
    /**
     * @param {string} method
     * @param {string} fullPath
     * @param {any} data
     * @param {any} header
     * @returns {Promise<Reply>}
     */
    async handle(method, fullPath, data, header) {
      calls.push({ method, path: fullPath, data, header });
      const path = fullPath.split('?')[0];
      for (const r of routes) {
        const m = path.match(r.re);
        if (r.method === method && m) return r.handler({ method, path: fullPath, data, header, match: m });
      }
      return { status: 404, body: { error: { code: 'not_found', message: `未模拟的接口 ${method} ${path}` } } };
    },
  };
}

function createWx() {
  const server = createServer();
  /** @type {Record<string, any>} */
  const storage = {};
  const base = 'http://127.0.0.1:8080';
  /** @type {any[]} */
  const uploads = [];
  /** @type {Record<string, string> & { length: number }} */
  const downloads = /** @type {any} */ ({ length: 0 });

  const wx = {
    __server: server,
    __storage: storage,
    __uploads: uploads,
    getStorageSync: jest.fn((k) => (k in storage ? JSON.parse(JSON.stringify(storage[k])) : '')),
    setStorageSync: jest.fn((k, v) => {
      storage[k] = JSON.parse(JSON.stringify(v));
    }),
    removeStorageSync: jest.fn((k) => {
      delete storage[k];
    }),
    login: jest.fn((o) => setTimeout(() => o.success({ code: 'wx-code' }), 0)),
    request: jest.fn((o) => {
      const path = o.url.slice(base.length);
      server.handle(o.method || 'GET', path, o.data, o.header).then((reply) => {
        if (reply.network) o.fail && o.fail({ errMsg: 'request:fail timeout' });
        else o.success && o.success({ statusCode: reply.status || 200, data: reply.body === undefined ? '' : reply.body, header: {} });
      });
      return { abort() {} };
    }),
    uploadFile: jest.fn((o) => {
      /** @type {((p: { progress: number }) => void)[]} */
      const listeners = [];
      const task = {
        onProgressUpdate: (/** @type {any} */ fn) => listeners.push(fn),
        abort() {},
        /** @param {number} p */
        progress(p) {
          listeners.forEach((fn) => fn({ progress: p }));
        },
        /** @param {Reply} reply */
        finish(reply) {
          if (reply.network) o.fail({ errMsg: 'uploadFile:fail' });
          else o.success({ statusCode: reply.status || 200, data: JSON.stringify(reply.body) });
        },
        options: o,
      };
      uploads.push(task);
      return task;
    }),
    showToast: jest.fn(),
    showLoading: jest.fn(),
    hideLoading: jest.fn(),
    showModal: jest.fn((o) => o.success && o.success({ confirm: true, cancel: false })),
    showActionSheet: jest.fn((o) => o.success && o.success({ tapIndex: 0 })),
    navigateTo: jest.fn(),
    redirectTo: jest.fn(),
    switchTab: jest.fn(),
    navigateBack: jest.fn(),
    stopPullDownRefresh: jest.fn(),
    setClipboardData: jest.fn(),
    makePhoneCall: jest.fn(),
    setNavigationBarTitle: jest.fn(),
    requestSubscribeMessage: jest.fn((o) => {
      /** @type {Record<string, string>} */
      const res = { errMsg: 'requestSubscribeMessage:ok' };
      o.tmplIds.forEach((/** @type {string} */ id) => {
        res[id] = 'accept';
      });
      o.success && o.success(res);
    }),
    chooseMessageFile: jest.fn((o) =>
      o.success({ tempFiles: [{ path: 'wxfile://tmp/diploma.zip', name: '毕业证.zip', size: 2048 }] }),
    ),
    chooseMedia: jest.fn((o) =>
      o.success({ tempFiles: [{ tempFilePath: 'wxfile://tmp/photo.jpg', size: 4096 }] }),
    ),
    previewImage: jest.fn((o) => o.success && o.success({})),
    openDocument: jest.fn((o) => o.success && o.success({})),
    reLaunch: jest.fn(),
    // A download the fake server has a route for is answered by it (the "file" is its
    // body, as text); any other download succeeds with a placeholder file.
    downloadFile: jest.fn((o) => {
      const path = o.url.slice(base.length);
      const routed = server.routes.some((r) => r.method === 'GET' && r.re.test(path.split('?')[0]));
      if (!routed) {
        setTimeout(() => o.success({ statusCode: 200, tempFilePath: 'wxfile://tmp/download' }), 0);
        return;
      }
      server.handle('GET', path, undefined, o.header).then((reply) => {
        if (reply.network) return o.fail && o.fail({ errMsg: 'downloadFile:fail' });
        const tempFilePath = `wxfile://tmp/download-${downloads.length}`;
        downloads[tempFilePath] = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
        downloads.length++;
        o.success({ statusCode: reply.status || 200, tempFilePath });
      });
    }),
    getFileSystemManager: () => ({
      readFileSync: (/** @type {string} */ p) => {
        if (!(p in downloads)) throw new Error(`no such file ${p}`);
        return downloads[p];
      },
    }),
    shareFileMessage: jest.fn((o) => o.success && o.success()),
    nextTick: (/** @type {() => void} */ fn) => setTimeout(fn, 0),
    // What tdesign's components read when they load (test/helpers/tdesign.js): a
    // 320 px wide phone with a current base library.
    getWindowInfo: () => ({ windowWidth: 320, windowHeight: 568, screenWidth: 320, screenHeight: 568, pixelRatio: 2, statusBarHeight: 20 }),
    getAppBaseInfo: () => ({ SDKVersion: '3.7.0', language: 'zh_CN', version: '8.0.50', theme: 'light' }),
    getDeviceInfo: () => ({ platform: 'devtools', system: 'iOS 17.0', brand: 'devtools', model: 'iPhone SE' }),
    getSystemInfoSync: () => ({ windowWidth: 320, windowHeight: 568, screenWidth: 320, pixelRatio: 2, SDKVersion: '3.7.0', platform: 'devtools' }),
  };
  return wx;
}

module.exports = { createWx };
