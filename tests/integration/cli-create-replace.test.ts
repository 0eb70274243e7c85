import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testBaseImage } from '../support/core-image'
import { removeDataFolderObjects } from '../support/data-folder-cleanup'
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

afterAll(() => removeDataFolderObjects(home))

describe('sandlot create --replace after a failure (the built CLI)', () => {
  it('fails, is refused by name with a hint naming --replace, and is created in its place once the cause is fixed', async () => {
    const file = await runSandlot(['templates', 'add', join(templateDir, 'template.json')], env)
    expect(file.code).toBe(1)
    expect(file.stderr).toContain(`${join(templateDir, 'template.json')} is a file, not a folder.`)
    expect(file.stderr).toContain(`Hint: Give the folder that holds the template, for example ${templateDir}.`)
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
    // A typo in a name or a template id is answered with the one meant.
    expect((await runSandlot(['start', name.slice(0, -1)], env)).stderr).toContain(`No workspace named "${name.slice(0, -1)}". Did you mean ${name}?`)
    expect((await runSandlot(['create', '--template', `${templateId}x`], env)).stderr).toContain(`There is no template "${templateId}x". Did you mean ${templateId}?`)
    const nameless = await runSandlot(['create', '--template', templateId, '--replace'], env)
    expect(nameless.code).toBe(2)
    expect(nameless.stderr).toMatch(/--replace needs the --name/)
  })

  it('answers a command that is not there as a shell does: on stderr, exit 127 (126 for one that cannot run)', async () => {
    const missing = await runSandlot(['exec', name, '--', 'no-such-command-here'], env)
    expect(missing).toMatchObject({ code: 127, stdout: '' })
    expect(missing.stderr).toContain('no-such-command-here: command not found in the workspace')
    const folder = await runSandlot(['exec', name, '--', '/etc'], env)
    expect(folder).toMatchObject({ code: 126, stdout: '' })
    expect(folder.stderr).toMatch(/\/etc: cannot run it: permission denied/)
    expect(await runSandlot(['exec', name, '--', 'bash', '-c', 'echo fine'], env)).toMatchObject({ code: 0, stdout: 'fine\n' })
  })

  it('says a running workspace without an app has no preview, and a stopped one reads as stopped with its exit code', async () => {
    const open = await runSandlot(['open', name], env)
    expect(open.code).toBe(1)
    expect(open.stderr).toMatch(new RegExp(`${name} has no preview: its template \\(${templateId}\\) runs no app`))
    expect(open.stderr).not.toMatch(/Start it/)
    const stopped = await json(['stop', name])
    expect(stopped).toMatchObject({ container: 'exited', exitCode: expect.any(Number) })
    const ls = await runSandlot(['ls'], env)
    expect(ls.stdout).toMatch(new RegExp(`${name}\\s+${templateId}\\s+stopped \\(exit code ${stopped.exitCode}\\)`))
    expect((await runSandlot(['open', name], env)).stderr).toMatch(/no preview right now: its container exited with code \d+[\s\S]*sandlot start/)
  })
  it('restores under the saved name when it is free, and under a new one when it is taken', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sandlot-it-save-')), 'ws.tar.gz')
    await json(['save', name, file])
    const beside = await json(['restore', file])
    expect(beside.name).not.toBe(name)
    expect(beside.name).toMatch(new RegExp(`^${templateId}-[0-9a-f]{6}$`))
    await json(['rm', '--force', beside.name])
    await json(['rm', '--force', name])
    expect(await json(['restore', file])).toMatchObject({ name, status: 'ready' })
  })
})
