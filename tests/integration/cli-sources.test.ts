import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testBaseImage } from '../support/core-image'
import { removeDataFolderObjects } from '../support/data-folder-cleanup'
import { freePort } from '../support/http'
import { runSandlot, tempSandlotHome } from '../support/run-cli'

// `sandlot create` with a folder or a repository and per-workspace overrides, through the built CLI.
const home = tempSandlotHome()
const env = { SANDLOT_HOME: home }
const id = Math.random().toString(16).slice(2, 8)
const name = `cli-folder-${id}`

beforeAll(() => {
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ image: { base: testBaseImage() }, pool: { size: 0 } }))
})

afterAll(() => removeDataFolderObjects(home))

describe('sandlot create from a folder or a repository (the built CLI)', () => {
  it('refuses a source that is not one, a --branch without --git and an unreachable repository, each with its code', async () => {
    const none = await runSandlot(['create', '--json'], env)
    expect(none.code).toBe(2)
    expect(JSON.parse(none.stdout).error).toMatchObject({ code: 'BAD_USAGE', message: 'Say what to create the workspace from.' })
    const branch = await runSandlot(['create', '--template', 'shell', '--branch', 'dev', '--json'], env)
    expect(JSON.parse(branch.stdout).error).toMatchObject({ code: 'BAD_USAGE', message: '--branch goes with --git.' })
    const helper = await runSandlot(['create', '--git', 'ext::sh -c id', '--json'], env)
    expect(helper.code).toBe(1)
    expect(JSON.parse(helper.stdout).error.message).toMatch(/remote helper/)
    const port = await freePort()
    const unreachable = await runSandlot(['create', '--git', `git://127.0.0.1:${port}/app.git`, '--json'], env)
    expect(unreachable.code).toBe(1)
    expect(JSON.parse(unreachable.stdout).error).toMatchObject({ code: 'HOST_UNREACHABLE' })
    const list = await runSandlot(['ls', '--json'], env)
    expect(JSON.parse(list.stdout)).toEqual([])
  })

  it('creates from a folder with env from a file and flags, limits, start and port; all visible in the container and the app', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sandlot-it-folder-'))
    writeFileSync(join(folder, 'app.js'), "require('http').createServer((q, s) => s.end([process.env.A, process.env.B, process.env.PORT].join(' '))).listen(Number(process.env.PORT))\n")
    writeFileSync(join(folder, 'app.env'), '# for the test\nA=from-file\nB="overridden below"\n')
    const run = await runSandlot(
      ['create', '--folder', folder, '--name', name, '--env-file', join(folder, 'app.env'), '--env', 'B=flag', '--memory', '256m', '--cpus', '0.5', '--start', 'node app.js', '--port', '4300', '--json'],
      env
    )
    expect(run.code, run.stderr).toBe(0)
    const workspace = JSON.parse(run.stdout)
    expect(workspace.status).toBe('ready')
    expect(await (await fetch(workspace.previewUrl)).text()).toBe('from-file flag 4300')
    const info = await new Dockerode().getContainer(workspace.containerId).inspect()
    expect(info.HostConfig.Memory).toBe(256 * 1024 * 1024)
    expect(info.HostConfig.NanoCpus).toBe(5e8)
    // exec runs with the workspace's environment, as the app does.
    const exec = await runSandlot(['exec', name, '--', 'sh', '-c', 'echo "$A|$B"'], env)
    expect(exec.stdout).toBe('from-file|flag\n')
  })
})
