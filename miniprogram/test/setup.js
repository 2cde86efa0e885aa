/** Every test gets a fresh wx, fresh storage and a fake API with no routes. */
const { createWx } = require('./helpers/wx');

beforeEach(() => {
  // @ts-ignore
  global.wx = createWx();
  // @ts-ignore
  global.getApp = () => ({});
});

// No real waiting between network retries in tests.
jest.mock('../src/config', () => Object.assign({}, jest.requireActual('../src/config'), { retryDelayMs: 0 }));
