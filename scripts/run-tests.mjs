// `npm test`: type-check, build, then every suite (unit, integration, end-to-end), each run to the end even
// when an earlier one failed, and one closing line that counts what was executed across all of them.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { projectRoot } from './electron-runtime.mjs'

// Outside test-results/: Playwright empties that folder when it starts.
const reports = mkdtempSync(join(tmpdir(), 'sandlot-test-reports-'))
const vitestReport = join(reports, 'vitest.json')
const playwrightReport = join(reports, 'playwright.json')

function step(label, command, args, env = {}) {
  process.stdout.write(`\n── ${label} ──\n`)
  const run = spawnSync(command, args, { cwd: projectRoot, stdio: 'inherit', env: { ...process.env, ...env } })
  return run.status === 0
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
if (!step('type-check', npx, ['tsc', '-p', '.']) || !step('build', 'npm', ['run', '--silent', 'build'])) {
  console.log('\ntests: not run, the type-check or the build failed')
  process.exit(1)
}
const vitestOk = step('unit and integration tests (vitest)', npx, [
  'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`
])
const playwrightOk = step('end-to-end tests (playwright)', npx, ['playwright', 'test', '--reporter=list,json'], {
  PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport
})

const counts = { passed: 0, failed: 0, skipped: 0 }
const missing = []
try {
  const v = JSON.parse(readFileSync(vitestReport, 'utf8'))
  counts.passed += v.numPassedTests
  counts.failed += v.numFailedTests
  counts.skipped += v.numPendingTests + v.numTodoTests
} catch {
  missing.push('vitest')
}
try {
  const p = JSON.parse(readFileSync(playwrightReport, 'utf8')).stats
  counts.passed += p.expected + p.flaky
  counts.failed += p.unexpected
  counts.skipped += p.skipped
} catch {
  missing.push('playwright')
}
rmSync(reports, { recursive: true, force: true })
if (missing.length) console.log(`\nNo report from ${missing.join(' and ')}: that suite did not run to the end.`)
console.log(`\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`)
process.exit(vitestOk && playwrightOk && missing.length === 0 && counts.failed === 0 ? 0 : 1)
