// Types for build-dashboard.mjs, so the ops tests can import it.
export function buildDashboard(): unknown;
