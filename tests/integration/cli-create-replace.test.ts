import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSandlotCore } from '../../src-main/core/sandlot-core'
import { testBaseImage } from '../support/core-image'
import { removeInstanceObjects } from '../support/instance-cleanup'
import { runSandlot, tempSandlotHome } from '../support/run-cli'

const home = tempSandlotHome()
const env = { SANDLOT_HOME: home }
// Container names are engine-wide: a suffix keeps this run clear of other data folders' workspaces.
const id = Math.random().toString(16).slice(2, 8)
const name = `retry-${id}`
const templateId = `needs-ok-${id}`
const templateDir = mkdtempSync(join(tmpdir(), 'sandlot-it-template-'))

async function json(args: string[]): Promise<any> {
  const run = await runSandlot([...args, '--json'], env)
  if (run.code !== 0) throw new Error(`sandlot ${args.join(' ')} exited ${run.code}:\n${run.stdout}\n${run.stderr}`)
  return JSON.parse(run.stdout)
}

beforeAll(() => {
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ image: { base: testBaseImage() }, pool: { size: 0 } }))
  // Its install fails until the template holds a file named ok: a cause the user can fix.
  writeFileSync(
    join(templateDir, 'template.json'),
    JSON.stringify({ id: templateId, name: 'Needs ok', description: 'Fails until fixed.', install: 'test -f ok || { echo "the ok file is missing"; exit 3; }' })
  )
})

afterAll(async () => {
  const core = openSandlotCore({ home })
  try {
    await removeInstanceObjects(core.engine.connection.docker, core.instanceId)
  } finally {
    core.close()
  }
})

describe('sandlot create --replace after a failure (the built CLI)', () => {
  it('fails, is refused by name with a hint naming --replace, and is created in its place once the cause is fixed', async () => {
    await json(['templates', 'add', templateDir])
    const failed = await runSandlot(['create', '--template', templateId, '--name', name, '--json'], env)
    expect(failed.code).toBe(1)
    expect(JSON.parse(failed.stdout).error).toMatchObject({ code: 'INSTALL_FAILED', message: expect.stringMatching(/exited with code 3/) })
    expect(await json(['ls'])).toEqual([expect.objectContaining({ name, status: 'failed', phase: 'install' })])

    const again = await runSandlot(['create', '--template', templateId, '--name', name, '--json'], env)
    expect(again.code).toBe(1)
    expect(JSON.parse(again.stdout).error).toMatchObject({
      code: 'CONFLICT',
      message: `A workspace named "${name}" already exists (its create failed).`,
      hint: expect.stringContaining(`sandlot create --template ${templateId} --name ${name} --replace`)
    })

    // Without the fix, a retry fails again, and says why again (not the old error).
    const stillBroken = await runSandlot(['create', '--template', templateId, '--name', name, '--replace', '--json'], env)
    expect(JSON.parse(stillBroken.stdout).error.code).toBe('INSTALL_FAILED')

    writeFileSync(join(templateDir, 'ok'), 'fixed\n')
    await json(['templates', 'add', templateDir, '--replace'])
    const replaced = await json(['create', '--template', templateId, '--name', name, '--replace'])
    expect(replaced).toMatchObject({ name, status: 'ready', container: 'running' })
    expect(replaced.error).toBeUndefined()
    expect((await json(['ls'])).map((w: { name: string }) => w.name)).toEqual([name])
  })

  it('never replaces a workspace that is not failed, and needs a name', async () => {
    const refused = await runSandlot(['create', '--template', templateId, '--name', name, '--replace', '--json'], env)
    expect(refused.code).toBe(1)
    expect(JSON.parse(refused.stdout).error).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/not a failed workspace: --replace only replaces a failed one/) })
    expect(await json(['ls'])).toEqual([expect.objectContaining({ name, status: 'ready', container: 'running' })])
    const nameless = await runSandlot(['create', '--template', templateId, '--replace'], env)
    expect(nameless.code).toBe(2)
    expect(nameless.stderr).toMatch(/--replace needs the --name/)
  })

  it('says a running workspace without a port has no preview, and a stopped one reads as stopped with its exit code', async () => {
    const open = await runSandlot(['open', name], env)
    expect(open.code).toBe(1)
    expect(open.stderr).toMatch(new RegExp(`${name} has no preview: its template \\(${templateId}\\) serves no port`))
    expect(open.stderr).not.toMatch(/Start it/)
    const stopped = await json(['stop', name])
    expect(stopped).toMatchObject({ container: 'exited', exitCode: expect.any(Number) })
    const ls = await runSandlot(['ls'], env)
    expect(ls.stdout).toMatch(new RegExp(`${name}\\s+${templateId}\\s+stopped \\(exit code ${stopped.exitCode}\\)`))
    expect((await runSandlot(['open', name], env)).stderr).toMatch(/no preview right now: its container exited with code \d+[\s\S]*sandlot start/)
  })
})
