// Jest runs the TypeScript sources through ts-jest in ESM mode, in three projects:
//   core         pure tests: no servers, no sockets, no processes (its environment refuses them); seconds.
//   integration  clients and the Mesos simulator against local HTTP servers and real servers (etcd,
//                kube-apiserver, dockerd, ZooKeeper started by the test itself), and the built CLI
//                against real Mesos captures (test/integration: needs `npm run build`); a couple of minutes.
//   e2e          the built CLI against the real test stack (needs `npm run build` and the provisioned servers).
// `npm run test:core|test:integration|test:e2e` runs one; `npm test` all three.
const tsJest = ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: ['TS151001'] } }];
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': tsJest },
  testEnvironment: 'node',
};

// Test files that open sockets or start processes (paths as regular expressions). Everything else
// under test/ but e2e is core. A new file in these folders is integration unless listed as pure.
const INTEGRATION = [
  '/test/clients/.*\\.test\\.ts$',
  // the simulator's tests, but for the pure ones (its id/resource primitives and JSON views)
  '/test/mesos-sim/(?!(primitives|views)\\.test\\.ts$)[^/]+\\.test\\.ts$',
  // renders every man page with groff
  '/test/lib/man-pages\\.test\\.ts$',
  // the built CLI against real Mesos captures served in a private network namespace
  '/test/integration/.*\\.test\\.ts$',
];
const E2E = '/test/e2e/';

export default {
  projects: [
    {
      ...common,
      displayName: 'core',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', E2E, ...INTEGRATION],
      testEnvironment: '<rootDir>/test/support/core-environment.mjs',
    },
    {
      ...common,
      displayName: 'integration',
      testRegex: INTEGRATION,
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-timeout.ts'],
    },
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
