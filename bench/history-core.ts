// What the history benchmark needs of the core, loaded through Vite's module runner (the store embeds its
// migrations with `import.meta.glob`, which tsx cannot load; see loadHistory in history.bench.ts).
export { openDatabase } from '../src-main/core/store/database'
export { HistoryWriter } from '../src-main/core/history/history-writer'
export { HistoryQueries } from '../src-main/core/history/history-queries'
export { RecordBatches } from '../src-main/core/history/record-batches'
export { readLogLines, readMonitorRecords } from '../src-main/core/monitor/monitor-records'
