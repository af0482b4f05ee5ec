// Jest runs the TypeScript sources through ts-jest in ESM mode.
// Projects: `unit` (pure core, output, clients against in-process fakes/simulator) and
// `e2e` (the built binary against the real test stack; needs `npm run build` and the stack).
const tsJest = ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: ['TS151001'] } }];
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': tsJest },
  testEnvironment: 'node',
};
export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/**/*.test.ts'], testPathIgnorePatterns: ['/test/e2e/'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      // Each test runs the built CLI (a process each time) against real servers: 60 s per test.
      setupFilesAfterEnv: ['<rootDir>/test/e2e/setup-timeout.ts'],
      // Starts the test stack once per run (or reuses the one K8SMCTL_STACK names) and stops it after.
      globalSetup: '<rootDir>/test/e2e/global-setup.mjs',
      globalTeardown: '<rootDir>/test/e2e/global-teardown.mjs',
    },
  ],
};
