import { jest } from '@jest/globals';

// e2e tests start the built CLI (a process each time) against real servers; jest's 5 s default is
// too short on a loaded 2-core machine. (testTimeout cannot be set per project in jest.config.js.)
jest.setTimeout(60_000);
