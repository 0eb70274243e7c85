import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { SandlotError } from '../sandlot-error'
import { systemLauncher, type EditorLauncher } from './editor-launcher'
import { attachedContainerUri } from './editor-target'
import { openInEditor } from './open-in-editor'

/** Records what would run; `extensions` is what `--list-extensions` prints, `missing` makes the command absent. */
function fakeLauncher(options: { extensions?: string; exitCode?: number; missing?: boolean } = {}) {
  const runs: Array<{ how: 'output' | 'start'; command: string; args: readonly string[] }> = []
  const enoent = (): Error => Object.assign(new Error('spawn code ENOENT'), { code: 'ENOENT' })
  const launcher: EditorLauncher = {
    output: async (command, args) => {
      runs.push({ how: 'output', command, args })
      if (options.missing) throw enoent()
      return { exitCode: options.exitCode ?? 0, stdout: options.extensions ?? '' }
    },
    start: async (command, args) => {
      runs.push({ how: 'start', command, args })
      if (options.missing) throw enoent()
    }
  }
  return { launcher, runs }
}

const container = { kind: 'container', containerName: '/sandlot-web' } as const

describe('openInEditor', () => {
  it('checks for Dev Containers, then starts `code --folder-uri <attach URI>`', async () => {
    const { launcher, runs } = fakeLauncher({ extensions: 'dbaeumer.vscode-eslint\nms-vscode-remote.remote-containers\n' })
    const result = await openInEditor({ workspace: 'web', editor: 'code', target: container }, launcher)
    const uri = attachedContainerUri('/sandlot-web')
    expect(runs).toEqual([
      { how: 'output', command: 'code', args: ['--list-extensions'] },
      { how: 'start', command: 'code', args: ['--folder-uri', uri] }
    ])
    expect(result).toEqual({ name: 'web', command: 'code', args: ['--folder-uri', uri], opened: 'container', uri })
  })

  it('takes the editor of the setting, and a fork’s own Dev Containers extension', async () => {
    const { launcher, runs } = fakeLauncher({ extensions: 'anysphere.remote-containers\r\n' })
    await openInEditor({ workspace: 'web', editor: '/opt/cursor/bin/cursor', target: container }, launcher)
    expect(runs.map((run) => run.command)).toEqual(['/opt/cursor/bin/cursor', '/opt/cursor/bin/cursor'])
  })

  it('opens a mounted workspace’s host folder, without asking for extensions', async () => {
    const { launcher, runs } = fakeLauncher()
    const result = await openInEditor({ workspace: 'web', editor: 'code', target: { kind: 'folder', path: '/home/me/web' } }, launcher)
    expect(runs).toEqual([{ how: 'start', command: 'code', args: ['/home/me/web'] }])
    expect(result).toEqual({ name: 'web', command: 'code', args: ['/home/me/web'], opened: 'folder', folder: '/home/me/web' })
  })

  it('says which extension to install when Dev Containers is missing, and starts nothing', async () => {
    const { launcher, runs } = fakeLauncher({ extensions: 'dbaeumer.vscode-eslint\n' })
    const err = await openInEditor({ workspace: 'web', editor: 'code', target: container }, launcher).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SandlotError)
    expect(err).toMatchObject({ code: 'EDITOR_MISSING', hint: expect.stringContaining('code --install-extension ms-vscode-remote.remote-containers') })
    expect(runs.map((run) => run.how)).toEqual(['output'])
  })

  it('says to install VS Code or set editor.command when the command is not there', async () => {
    const { launcher } = fakeLauncher({ missing: true })
    for (const target of [container, { kind: 'folder', path: '/home/me/web' } as const]) {
      const err = await openInEditor({ workspace: 'web', editor: 'code', target }, launcher).catch((e: unknown) => e)
      expect(err).toMatchObject({ code: 'EDITOR_MISSING', message: 'The editor command `code` was not found on this machine.' })
      expect((err as SandlotError).hint).toMatch(/code\.visualstudio\.com.*sandlot config set editor\.command/)
    }
  })

  it('refuses an editor whose --list-extensions fails', async () => {
    const { launcher } = fakeLauncher({ exitCode: 2 })
    await expect(openInEditor({ workspace: 'web', editor: 'vim', target: container }, launcher)).rejects.toThrow(/`vim --list-extensions` failed \(exit code 2\)/)
  })
})

describe('systemLauncher', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sandlot-editor-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const script = (name: string, body: string): string => {
    const file = join(dir, name)
    writeFileSync(file, `#!/bin/sh\n${body}\n`)
    chmodSync(file, 0o755)
    return file
  }

  it.skipIf(process.platform === 'win32')('answers a command’s output and exit code, and starts one with its arguments as given', async () => {
    const code = script('code', `if [ "$1" = --list-extensions ]; then echo ms-vscode-remote.remote-containers; exit 0; fi\nprintf '%s\\n' "$@" > "${dir}/started"`)
    expect(await systemLauncher.output(code, ['--list-extensions'])).toEqual({ exitCode: 0, stdout: 'ms-vscode-remote.remote-containers\n' })
    expect(await systemLauncher.output(script('fails', 'exit 3'), [])).toEqual({ exitCode: 3, stdout: '' })
    await systemLauncher.start(code, ['--folder-uri', 'vscode-remote://x/app with space'])
    await expect.poll(() => readFileSync(join(dir, 'started'), 'utf8').split('\n'), { timeout: 10_000 }).toEqual(['--folder-uri', 'vscode-remote://x/app with space', ''])
  })

  it.skipIf(process.platform === 'win32')('rejects with ENOENT for a command that does not exist', async () => {
    await expect(systemLauncher.output(join(dir, 'no-such-editor'), [])).rejects.toMatchObject({ code: 'ENOENT' })
    await expect(systemLauncher.start(join(dir, 'no-such-editor'), [])).rejects.toMatchObject({ code: 'ENOENT' })
  })
})
