/** Every test gets a fresh wx, fresh storage and a fake API with no routes. */
const { createWx } = require('./helpers/wx');

beforeEach(() => {
  // @ts-ignore
  global.wx = createWx();
  // One App object per test, as the mini-program has one per run.
  const app = { globalData: {} };
  // @ts-ignore
  global.getApp = () => app;
});

// No real waiting between network retries in tests.
jest.mock('../src/config', () => Object.assign({}, jest.requireActual('../src/config'), { retryDelayMs: 0 }));
