// A second Sandlot process that ingests history live, as the app or `sandlot serve` does:
// `npx tsx tests/support/history-ingester.ts`, with SANDLOT_HOME set. It prints "ready" once it follows the
// engine, and on SIGTERM prints how many rows it stored itself as JSON, then exits.
import { join } from 'node:path'
import { runnerImport } from 'vite'

const root = join(import.meta.dirname, '..', '..')
const { module } = await runnerImport<typeof import('./history-core')>(join(root, 'tests/support/history-core.ts'), { root, logLevel: 'warn' })
const core = module.openHistory(process.env.SANDLOT_HOME!, (m) => process.stderr.write(`${m}\n`))
let lines = 0
core.history.logLines.subscribe((event) => (lines += event.lines.length + (event.dropped ?? 0)))
core.history.startLive()
process.stdout.write('ready\n')
process.once('SIGTERM', () => {
  // Lines still batched for the live event are counted too: they were stored.
  setTimeout(() => {
    core.close()
    process.stdout.write(`${JSON.stringify({ lines })}\n`)
    process.exit(0)
  }, 400)
})
