import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../program'
import { capturedIo } from '../testing/captured-io'

async function run(home: string, ...argv: string[]) {
  const io = capturedIo({ SANDLOT_HOME: home })
  const code = await runCli(argv, io)
  return { code, stdout: io.out(), stderr: io.err() }
}

describe('sandlot sync status', () => {
  it('says sync is off and how to turn it on; as JSON, the status document', async () => {
    const home = mkdtempSync(join(tmpdir(), 'sandlot-cli-sync-'))
    const text = await run(home, 'sync', 'status')
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/^Sync: off\n\s+to turn on\s+set sync\.url and sync\.token/)
    const json = await run(home, 'sync', 'status', '--json')
    expect(JSON.parse(json.stdout)).toEqual({ enabled: false, url: null, lastAckAt: null, waiting: 0, lagMs: 0, droppedLines: 0, droppedEvents: 0, droppedErrors: 0, lastError: null })
  })

  it('names the missing setting and what to do, and never prints the token', async () => {
    const home = mkdtempSync(join(tmpdir(), 'sandlot-cli-sync-'))
    writeFileSync(join(home, 'settings.json'), JSON.stringify({ sync: { token: 'sl_very_secret_0123' } }))
    const text = await run(home, 'sync', 'status')
    expect(text.stdout).toMatch(/last error\s+sync\.token is set but sync\.url is not/)
    expect(text.stdout).toMatch(/what to do\s+Set the orchestrator’s address: `sandlot config set sync\.url https:\/\/…`/)
    expect(text.stdout + text.stderr).not.toContain('sl_very_secret')
    writeFileSync(join(home, 'settings.json'), JSON.stringify({ sync: { url: 'https://o.example', token: 'sl_very_secret_0123' } }))
    const on = await run(home, 'sync', 'status')
    expect(on.stdout).toMatch(/^Sync: up to date\n\s+orchestrator\s+https:\/\/o\.example\n\s+last acknowledged\s+never/)
    expect(on.stdout).toMatch(/The desktop app and `sandlot serve` send while they run\.\n$/)
  })
})
