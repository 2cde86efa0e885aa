/** Jest runs the mini-program pages in jsdom through miniprogram-simulate. */
module.exports = {
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/test'],
  setupFilesAfterEnv: ['<rootDir>/test/setup.js'],
  testMatch: ['**/*.test.js'],
  modulePathIgnorePatterns: ['<rootDir>/src/miniprogram_npm/'],
  clearMocks: true,
  // tdesign-miniprogram ships ES modules (importing tslib): the tests that load the
  // real components (test/helpers/tdesign.js) need them as CommonJS.
  transform: {
    '/node_modules/tdesign-miniprogram/.+\\.js$': ['babel-jest', { babelrc: false, configFile: false, plugins: ['@babel/plugin-transform-modules-commonjs'] }],
    '\\.[jt]sx?$': 'babel-jest',
  },
  transformIgnorePatterns: ['/node_modules/(?!tdesign-miniprogram/)'],
};
