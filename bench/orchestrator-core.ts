// What the orchestrator benchmark needs, loaded through Vite's module runner (the store embeds its migrations
// with `import.meta.glob`, which tsx cannot load; see loadOrchestrator in orchestrator.bench.ts).
export { openOrchestratorDatabase } from '../src-main/orchestrator/store/database'
export { addToken } from '../src-main/orchestrator/store/host-tokens'
export { createOrchestratorApp } from '../src-main/orchestrator/http/orchestrator-app'
export { logBatch } from '../src-main/orchestrator/testing/sync-fixtures'
export { startPostgresCluster } from '../tests/support/postgres-cluster'
