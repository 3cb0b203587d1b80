/** Jest runs in native ESM mode: Nest 12 ships ES modules only (see package.json "test"). */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/web/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts', '<rootDir>/test/**/*.int-spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.test.json' }],
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // Every answer of an app under test is checked against the OpenAPI document (test/support/openapi-validator.ts).
  setupFilesAfterEnv: ['<rootDir>/test/support/openapi-expectations.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
};
