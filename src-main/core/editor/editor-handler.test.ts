import { describe, expect, it } from 'vitest'
import type { Workspace } from '../contract'
import { editorHandlers, type EditorDeps } from './editor-handler'
import type { EditorLauncher } from './editor-launcher'
import { attachedContainerUri } from './editor-target'

const workspace = (container: string): Workspace => ({
  name: 'web',
  templateId: 'react-vite-ts',
  containerId: 'c0ffee',
  status: 'ready',
  phase: 'ready',
  container,
  createdAt: '2026-01-01T00:00:00.000Z'
})

function handler(ws: Workspace, overrides: Partial<EditorDeps> = {}) {
  const started: Array<readonly string[]> = []
  const launcher: EditorLauncher = {
    output: async () => ({ exitCode: 0, stdout: 'ms-vscode-remote.remote-containers\n' }),
    start: async (_command, args) => void started.push(args)
  }
  const names: string[] = []
  const open = editorHandlers({
    describe: async () => ws,
    inspectContainer: async (id) => (names.push(id), { name: '/sandlot-web', mountedFolder: undefined }),
    editorCommand: () => 'code',
    launcher,
    ...overrides
  })['workspaces.openEditor']
  return { open: () => open({ name: 'web' }), started, names }
}

describe('workspaces.openEditor', () => {
  it('attaches to the running container by the name the engine gives it', async () => {
    const { open, started, names } = handler(workspace('running'))
    await expect(open()).resolves.toMatchObject({ opened: 'container', uri: attachedContainerUri('/sandlot-web') })
    expect(names).toEqual(['c0ffee'])
    expect(started).toEqual([['--folder-uri', attachedContainerUri('/sandlot-web')]])
  })

  it('refuses a stopped workspace with how to start it, and starts no editor', async () => {
    const { open, started } = handler(workspace('exited'))
    await expect(open()).rejects.toMatchObject({ code: 'CONFLICT', hint: 'Start it first: sandlot start web.' })
    expect(started).toEqual([])
  })

  it('refuses a workspace whose container is gone, without asking the engine about it', async () => {
    const { open, started, names } = handler(workspace('missing'))
    await expect(open()).rejects.toMatchObject({ code: 'CONFLICT', hint: 'Make it again: sandlot create --name web …' })
    expect([started, names]).toEqual([[], []])
  })

  it('opens a mounted workspace’s host folder, running or not', async () => {
    const { open, started } = handler(workspace('exited'), { inspectContainer: async () => ({ name: '/sandlot-web', mountedFolder: '/home/me/web' }) })
    await expect(open()).resolves.toMatchObject({ opened: 'folder', folder: '/home/me/web' })
    expect(started).toEqual([['/home/me/web']])
  })
})
