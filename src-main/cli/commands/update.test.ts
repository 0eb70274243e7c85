import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openSandlotCore } from '../../core/sandlot-core'
import { workspaces } from '../../core/store/schema'
import { PENDING } from '../../core/workspaces/workspace-records'
import { runCli } from '../program'
import { capturedIo } from '../testing/captured-io'
import { idleStopChange } from './create-options'
import { idleStopSentence } from './workspaces'

/** A data folder holding one made workspace, `web`, whose container is not recorded: nothing asks an engine about it. */
function homeWithWorkspace(): string {
  const home = mkdtempSync(join(tmpdir(), 'sandlot-cli-update-'))
  const core = openSandlotCore({ home, env: {} })
  const at = new Date().toISOString()
  core.database.db.insert(workspaces).values({ name: 'web', templateId: 'shell', containerId: `${PENDING}web`, status: 'ready', phase: 'ready', createdAt: at, updatedAt: at }).run()
  core.close()
  return home
}

async function run(home: string, ...argv: string[]) {
  const io = capturedIo({ SANDLOT_HOME: home, DOCKER_HOST: 'unix:///nonexistent/docker.sock' })
  const code = await runCli(argv, io)
  return { code, stdout: io.out(), stderr: io.err() }
}

describe('sandlot update', () => {
  it('reads --idle-stop as create does, with never and setting', () => {
    expect(idleStopChange('45')).toBe(45)
    expect(idleStopChange('0')).toBe(0)
    expect(idleStopChange('never')).toBe(0)
    expect(idleStopChange('Setting')).toBe('setting')
    for (const bad of ['-1', '1.5', 'soon', '10081', '']) expect(() => idleStopChange(bad)).toThrow(/is not a number of minutes from 0 \(never\) to 10080 \(a week\), `never` or `setting`/)
  })

  it('changes the idle stop and answers the workspace as JSON, or a sentence and its details', async () => {
    const home = homeWithWorkspace()
    const set = await run(home, 'update', 'web', '--idle-stop', '45', '--json')
    expect(set.code).toBe(0)
    expect(JSON.parse(set.stdout)).toMatchObject({ name: 'web', idleStopMinutes: 45 })
    const never = await run(home, 'update', 'web', '--idle-stop', 'never')
    expect(never).toMatchObject({ code: 0, stderr: '' })
    expect(never.stdout).toMatch(/^web is never stopped for being idle\.\n[\s\S]*idle stop\s+never/)
    const back = await run(home, 'update', 'web', '--idle-stop', 'setting', '--json')
    expect(back.code).toBe(0)
    expect(JSON.parse(back.stdout)).toMatchObject({ name: 'web' })
    expect(JSON.parse(back.stdout)).not.toHaveProperty('idleStopMinutes')
    expect((await run(home, 'update', 'web', '--idle-stop', 'setting')).stdout).toMatch(/^web follows the workspaces.idleStopMinutes setting \(off\)\./)
  })

  it('exits 2 on a bad or missing --idle-stop and 1 on an unknown workspace, with a JSON error, changing nothing', async () => {
    const home = homeWithWorkspace()
    await run(home, 'update', 'web', '--idle-stop', '30')
    const bad = await run(home, 'update', 'web', '--idle-stop', '10081', '--json')
    expect(bad.code).toBe(2)
    expect(JSON.parse(bad.stdout).error).toMatchObject({ code: 'BAD_USAGE', message: expect.stringContaining('"10081" is not a number of minutes') })
    const missing = await run(home, 'update', 'web', '--json')
    expect(missing.code).toBe(2)
    expect(JSON.parse(missing.stdout).error.message).toMatch(/required option '--idle-stop/)
    const unknown = await run(home, 'update', 'wbe', '--idle-stop', '5', '--json')
    expect(unknown.code).toBe(1)
    expect(JSON.parse(unknown.stdout).error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('No workspace named "wbe"'), hint: 'See them with `sandlot ls`.' })
    expect(JSON.parse((await run(home, 'ls', '--json')).stdout)).toMatchObject([{ name: 'web', idleStopMinutes: 30 }])
  })

  it('says the setting’s value for a workspace that follows it', () => {
    expect(idleStopSentence(undefined, 20)).toBe('follows the workspaces.idleStopMinutes setting (20 min)')
    expect(idleStopSentence(12, 20)).toBe('stops after 12 min unused')
  })
})
