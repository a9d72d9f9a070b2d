/** Projects: `unit` (Pulumi mocks, no Docker), `e2e` (a real Docker engine), `bench` (timings). */
const shared = {
  preset: "ts-jest",
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
};

module.exports = {
  // Many tests run the whole program under mocks: seconds each on a busy 2-core machine.
  // (A global option: jest ignores it inside a project.)
  testTimeout: 30_000,
  projects: [
    // The real config checkers the unit tests run are installed first when missing.
    { ...shared, displayName: "unit", testMatch: ["<rootDir>/tests/unit/**/*.test.ts"], globalSetup: "<rootDir>/tests/unit/support/globalSetup.ts" },
    { ...shared, displayName: "e2e", testMatch: ["<rootDir>/tests/e2e/**/*.test.ts"] },
    // A local multi-node swarm (scripts/local-swarm.sh), the ground for a swarm target: `npm run test:swarm`.
    { ...shared, displayName: "swarm", testMatch: ["<rootDir>/tests/swarm/**/*.test.ts"] },
    // Timings printed, not asserted: `npm run bench`.
    { ...shared, displayName: "bench", testMatch: ["<rootDir>/bench/**/*.bench.ts"] },
  ],
};
