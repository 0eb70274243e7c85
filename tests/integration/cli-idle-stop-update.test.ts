import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSandlotCore, type SandlotCore } from '../../src-main/core/sandlot-core'
import type { IdleStopper } from '../../src-main/core/workspaces/idle-stop'
import { testBaseImage } from '../support/core-image'
import { fastIdleStopper } from '../support/idle-stopper'
import { removeInstanceObjects } from '../support/instance-cleanup'
import { runSandlot, tempSandlotHome } from '../support/run-cli'
import { waitFor } from '../support/wait'

// `sandlot update --idle-stop` from its own process, while a long-lived core's idle stop watches the workspace.
const home = tempSandlotHome()
const env = { SANDLOT_HOME: home }
// Container names are engine-wide: a suffix keeps this run clear of other data folders' workspaces.
const name = `idle-upd-${Math.random().toString(16).slice(2, 8)}`
let core: SandlotCore

async function json(args: string[]): Promise<any> {
  const run = await runSandlot([...args, '--json'], env)
  if (run.code !== 0) throw new Error(`sandlot ${args.join(' ')} exited ${run.code}:\n${run.stdout}\n${run.stderr}`)
  return JSON.parse(run.stdout)
}

beforeAll(async () => {
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ image: { base: testBaseImage() }, pool: { size: 0 } }))
  core = openSandlotCore({ home })
  await core.api.call('image.build', { base: testBaseImage() })
})

afterAll(async () => {
  await removeInstanceObjects(core.engine.connection.docker, core.instanceId)
  core.close()
})

describe('changing a running workspace’s idle stop through the CLI', () => {
  it('applies at the idle stop’s next check, without a restart: never holds against the setting, then its new time stops it', async () => {
    expect(await json(['create', '--template', 'shell', '--name', name, '--idle-stop', 'never'])).toMatchObject({ name, status: 'ready', container: 'running', idleStopMinutes: 0 })
    // Minutes of a second each; the setting would stop it after one of them, its own "never" wins.
    const stopper: IdleStopper = await fastIdleStopper(core, name, { minuteMs: 1000, settingMinutes: 1 })
    try {
      await sleep(2500)
      expect(await stopper.check()).toEqual([])
      expect((await core.workspaces.get(name)).container).toBe('running')

      // Another process changes it; the stopper, started before, reads it at its next check.
      expect(await json(['update', name, '--idle-stop', '2'])).toMatchObject({ name, container: 'running', idleStopMinutes: 2 })
      expect((await json(['ls'])).find((w: { name: string }) => w.name === name)).toMatchObject({ idleStopMinutes: 2 })
      await waitFor('the idle stop after the change', async () => ((await stopper.check()).includes(name) ? true : undefined), 60_000)
      expect((await core.workspaces.get(name)).container).toBe('exited')
      expect(core.history.events({ workspace: name }).filter((e) => e.kind === 'idle-stop')).toHaveLength(1)

      // Back to the setting: nothing of its own is kept.
      const following = await json(['update', name, '--idle-stop', 'setting'])
      expect(following).toMatchObject({ name, container: 'exited' })
      expect(following).not.toHaveProperty('idleStopMinutes')
      expect(core.workspaces.madeContainers().find((w) => w.name === name)?.idleStopMinutes).toBeNull()
    } finally {
      stopper.stop()
    }
  })

  it('refuses a bad value (exit 2) and an unknown workspace (exit 1, NOT_FOUND with a hint), changing nothing', async () => {
    const bad = await runSandlot(['update', name, '--idle-stop', '10081', '--json'], env)
    expect(bad.code).toBe(2)
    expect(JSON.parse(bad.stdout).error.message).toMatch(/"10081" is not a number of minutes from 0 \(never\) to 10080 \(a week\), `never` or `setting`/)
    const unknown = await runSandlot(['update', `${name}x`, '--idle-stop', '5', '--json'], env)
    expect(unknown.code).toBe(1)
    expect(JSON.parse(unknown.stdout).error).toMatchObject({ code: 'NOT_FOUND', hint: 'See them with `sandlot ls`.' })
    expect((await json(['ls'])).find((w: { name: string }) => w.name === name)).not.toHaveProperty('idleStopMinutes')
  })
})
