import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSandlotCore } from '../../src-main/core/sandlot-core'
import { testBaseImage } from '../support/core-image'
import { removeInstanceObjects } from '../support/instance-cleanup'
import { runSandlot, tempSandlotHome } from '../support/run-cli'
import { waitFor } from '../support/wait'

// `sandlot code` against a fake `code` on the PATH: it records its arguments, and lists the extensions it is told to.
const home = tempSandlotHome()
const id = Math.random().toString(16).slice(2, 8)
const name = `ed-${id}`
const bin = mkdtempSync(join(tmpdir(), 'sandlot-fake-code-'))
const calls = join(bin, 'calls')
const fakeEditor = (file: string): void => {
  writeFileSync(
    file,
    `#!/bin/sh
printf '%s\\n' "$0 $*" >> "${calls}"
if [ "$1" = --list-extensions ]; then printf '%s' "$FAKE_CODE_EXTENSIONS"; fi
`
  )
  chmodSync(file, 0o755)
}
fakeEditor(join(bin, 'code'))
fakeEditor(join(bin, 'my-editor'))
const PATH = `${bin}${delimiter}${process.env.PATH ?? ''}`
const withExtension = { SANDLOT_HOME: home, PATH, FAKE_CODE_EXTENSIONS: 'dbaeumer.vscode-eslint\nms-vscode-remote.remote-containers\n' }

const recorded = (): string[] => (existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : [])
const hexOf = (containerName: string): string => Buffer.from(JSON.stringify({ containerName }), 'utf8').toString('hex')

beforeAll(async () => {
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ image: { base: testBaseImage() }, pool: { size: 0 } }))
  const made = await runSandlot(['create', '--template', 'shell', '--name', name, '--json'], { SANDLOT_HOME: home })
  if (made.code !== 0) throw new Error(`sandlot create exited ${made.code}:\n${made.stdout}\n${made.stderr}`)
})

afterAll(async () => {
  const core = openSandlotCore({ home })
  try {
    await removeInstanceObjects(core.engine.connection.docker, core.instanceId)
  } finally {
    core.close()
    rmSync(bin, { recursive: true, force: true })
  }
})

describe('sandlot code', () => {
  it('starts `code --folder-uri` with the Dev Containers URI of the workspace’s running container, in /app', async () => {
    rmSync(calls, { force: true })
    const run = await runSandlot(['code', name, '--json'], withExtension)
    expect(run.code, run.stderr).toBe(0)
    const uri = `vscode-remote://attached-container+${hexOf(`/sandlot-${name}`)}/app`
    expect(JSON.parse(run.stdout)).toEqual({ name, command: 'code', args: ['--folder-uri', uri], opened: 'container', uri })
    // The editor is started detached: it may write its line after the CLI has exited.
    await waitFor('the fake code to record its start', () => recorded().length === 2)
    expect(recorded()).toEqual([`${join(bin, 'code')} --list-extensions`, `${join(bin, 'code')} --folder-uri ${uri}`])
    // The name in the URI is the container the engine runs for this workspace.
    const core = openSandlotCore({ home })
    try {
      const info = await core.engine.connection.docker.getContainer(`sandlot-${name}`).inspect()
      expect([info.Name, info.State.Running]).toEqual([`/sandlot-${name}`, true])
    } finally {
      core.close()
    }
  })

  it('says to install Dev Containers when the editor lacks it, and starts nothing', async () => {
    rmSync(calls, { force: true })
    const run = await runSandlot(['code', name, '--json'], { ...withExtension, FAKE_CODE_EXTENSIONS: 'dbaeumer.vscode-eslint\n' })
    expect(run.code).toBe(1)
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'EDITOR_MISSING', hint: expect.stringContaining('code --install-extension ms-vscode-remote.remote-containers') })
    expect(recorded()).toEqual([`${join(bin, 'code')} --list-extensions`])
  })

  it('says to install VS Code when there is no `code`', async () => {
    const run = await runSandlot(['code', name], { SANDLOT_HOME: home, PATH: '/usr/bin:/bin' })
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/The editor command `code` was not found on this machine/)
    expect(run.stderr).toMatch(/sandlot config set editor\.command/)
  })

  it('uses the editor.command setting', async () => {
    rmSync(calls, { force: true })
    expect((await runSandlot(['config', 'set', 'editor.command', join(bin, 'my-editor')], { SANDLOT_HOME: home })).code).toBe(0)
    try {
      const run = await runSandlot(['code', name], withExtension)
      expect(run.code, run.stderr).toBe(0)
      expect(run.stdout).toContain(`Opened ${name} in ${join(bin, 'my-editor')}, attached to its container in /app.`)
      await waitFor('the editor of the setting to record its start', () => recorded().length === 2)
      expect(recorded()[1]).toMatch(new RegExp(`^${join(bin, 'my-editor')} --folder-uri vscode-remote://attached-container\\+${hexOf(`/sandlot-${name}`)}/app$`))
    } finally {
      await runSandlot(['config', 'unset', 'editor.command'], { SANDLOT_HOME: home })
    }
  })

  it('refuses a stopped workspace with how to start it', async () => {
    expect((await runSandlot(['stop', name], { SANDLOT_HOME: home })).code).toBe(0)
    rmSync(calls, { force: true })
    const run = await runSandlot(['code', name, '--json'], withExtension)
    expect(run.code).toBe(1)
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'CONFLICT', hint: `Start it first: sandlot start ${name}.` })
    expect(recorded()).toEqual([])
  })
})
