/** Jest runs the mini-program pages in jsdom through miniprogram-simulate. */
module.exports = {
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/test'],
  setupFilesAfterEnv: ['<rootDir>/test/setup.js'],
  testMatch: ['**/*.test.js'],
  modulePathIgnorePatterns: ['<rootDir>/src/miniprogram_npm/'],
  clearMocks: true,
};
