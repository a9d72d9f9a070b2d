/** Projects: `unit` (Pulumi mocks, no Docker), `e2e` (a real Docker engine), `bench` (timings). */
const shared = {
  preset: "ts-jest",
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
};

module.exports = {
  projects: [
    { ...shared, displayName: "unit", testMatch: ["<rootDir>/tests/unit/**/*.test.ts"] },
    { ...shared, displayName: "e2e", testMatch: ["<rootDir>/tests/e2e/**/*.test.ts"] },
    // Timings printed, not asserted: `npm run bench`.
    { ...shared, displayName: "bench", testMatch: ["<rootDir>/bench/**/*.bench.ts"] },
  ],
};
