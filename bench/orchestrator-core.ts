// What the orchestrator benchmark needs, loaded through Vite's module runner (the store embeds its migrations
// with `import.meta.glob`, which tsx cannot load; see loadOrchestrator in orchestrator.bench.ts).
export { openOrchestratorDatabase } from '../src-main/orchestrator/store/database'
export { addToken } from '../src-main/orchestrator/store/host-tokens'
export { createOrchestratorApp } from '../src-main/orchestrator/http/orchestrator-app'
export { logBatch } from '../src-main/orchestrator/testing/sync-fixtures'
export { startPostgresCluster } from '../tests/support/postgres-cluster'
export { hosts, logLines } from '../src-main/orchestrator/store/schema'
export { startOrchestratorServer } from '../src-main/orchestrator/orchestrator-server'
export { openDatabase } from '../src-main/core/store/database'
export { HistoryWriter } from '../src-main/core/history/history-writer'
export { SyncOutbox } from '../src-main/core/sync/sync-outbox'
export { SyncService } from '../src-main/core/sync/sync-service'
export { and, eq, gt } from 'drizzle-orm'
