import { describe, expect, it } from 'vitest'
import type { Workspace } from '../../src-main/core/contract'
import { asSentence, codeSegments, defaultWorkspaceName, nameProblem, previewLabel, removeNeedsForce, removeQuestion, sortWorkspaces, splitHint, withApp, withChange, workspaceStatusModel } from './workspace-model'

const base: Workspace = {
  name: 'web',
  templateId: 'react-vite-ts',
  containerId: 'c1',
  status: 'ready',
  phase: 'ready',
  container: 'running',
  previewUrl: 'http://127.0.0.1:32773',
  createdAt: '2025-01-01T12:00:00.000Z'
}

describe('workspace status model', () => {
  it('says how creation ended and what the container does, with the matching tone and actions', () => {
    expect(workspaceStatusModel(base)).toMatchObject({
      tone: 'ok',
      status: 'Ready',
      container: 'running',
      description: 'Ready, container running',
      actions: { start: false, stop: true, restart: true, remove: true, editor: true }
    })
    // Stopped reads as stopped, with the code it exited with: never "Ready · container exited".
    expect(workspaceStatusModel({ ...base, container: 'exited', exitCode: 143 })).toMatchObject({
      tone: 'idle',
      status: 'Stopped',
      container: 'exited with code 143',
      description: 'Stopped, container exited with code 143',
      actions: { start: true, stop: false, restart: true, retry: false, remove: true, editor: false }
    })
    expect(workspaceStatusModel({ ...base, container: 'created' })).toMatchObject({ status: 'Not started', container: 'not started' })
  })

  it('shows an action under way in its row (a restart waits for the app)', () => {
    expect(workspaceStatusModel(base, 'restart')).toMatchObject({ tone: 'pending', status: 'Restarting…', container: 'running' })
    expect(workspaceStatusModel({ ...base, container: 'exited', exitCode: 0 }, 'start')).toMatchObject({ status: 'Starting…' })
  })

  it('shows a creating workspace as pending, with nothing but remove to do', () => {
    const model = workspaceStatusModel({ ...base, status: 'creating', phase: 'install' })
    expect(model).toMatchObject({ tone: 'pending', status: 'Creating', actions: { start: false, stop: false, restart: false, remove: true } })
  })

  it('marks failures and missing containers as errors, and says what to do about a missing one', () => {
    // A failed create is retried or removed; its container (kept running to look into) takes no other action.
    expect(workspaceStatusModel({ ...base, status: 'failed' })).toMatchObject({ tone: 'error', status: 'Failed', actions: { start: false, stop: false, restart: false, retry: true, remove: true, editor: false } })
    const never = workspaceStatusModel({ ...base, status: 'failed', container: 'none' })
    expect(never).toMatchObject({ tone: 'error', container: 'never created', description: 'Failed, container never created', actions: { retry: true } })
    expect(never.note).toBeUndefined()
    expect(workspaceStatusModel({ ...base, status: 'failed', container: 'exited', exitCode: 1 }).container).toBe('exited with code 1')
    const missing = workspaceStatusModel({ ...base, container: 'missing' })
    expect(missing).toMatchObject({ tone: 'error', status: 'Container gone', container: 'removed outside Sandlot', actions: { start: false, stop: false, restart: false, retry: false, remove: true } })
    expect(missing.note).toMatch(/removed outside Sandlot/)
    expect(workspaceStatusModel(base).note).toBeUndefined()
  })

  it('shows the app’s state (crashed, restarting, unhealthy) for a running workspace, not only its container’s', () => {
    const app = (state: 'ready' | 'crashed' | 'backing-off' | 'unhealthy' | 'idle') => withApp(base, { state, since: '2025-01-01T12:00:00.000Z', restarts: 1, unreadErrors: 0 })
    expect(workspaceStatusModel(app('crashed'))).toMatchObject({ tone: 'error', status: 'Crashed (1 restart)', container: 'running', actions: { stop: true, restart: true } })
    expect(workspaceStatusModel(app('backing-off'))).toMatchObject({ tone: 'warn', status: 'Restarting (1 restart)', description: 'App restarting, 1 restart, container running' })
    expect(workspaceStatusModel(app('unhealthy'))).toMatchObject({ tone: 'warn', status: 'Unhealthy (1 restart)' })
    expect(workspaceStatusModel(app('ready'))).toMatchObject({ tone: 'ok', status: 'Ready (1 restart)' })
    // No app at all (a shell workspace): "No app", as `sandlot ls` says, with the running container's tone.
    expect(workspaceStatusModel(withApp(base, { state: 'idle', since: '2025-01-01T12:00:00.000Z', restarts: 0, unreadErrors: 0 }))).toMatchObject({ tone: 'ok', status: 'No app', description: 'No app, container running' })
    // A stopped container's app state is old news: the container's state is what counts.
    expect(workspaceStatusModel({ ...app('crashed'), container: 'exited' })).toMatchObject({ tone: 'idle', status: 'Stopped', container: 'exited' })
  })

  it('offers Restart app (the app alone) only to a running app that gave up or stopped answering', () => {
    const app = (state: 'ready' | 'crashed' | 'failed' | 'unhealthy' | 'idle') => withApp(base, { state, since: '2025-01-01T12:00:00.000Z', restarts: 5, unreadErrors: 0 })
    expect(workspaceStatusModel(app('failed')).actions['app-restart']).toBe(true)
    expect(workspaceStatusModel(app('unhealthy')).actions['app-restart']).toBe(true)
    for (const state of ['ready', 'crashed', 'idle'] as const) expect(workspaceStatusModel(app(state)).actions['app-restart']).toBe(false)
    // The container stopped: starting it (which starts the app) is the way back.
    expect(workspaceStatusModel({ ...app('failed'), container: 'exited' }).actions['app-restart']).toBe(false)
    expect(workspaceStatusModel({ ...app('failed'), status: 'failed' }).actions['app-restart']).toBe(false)
  })

    it('applies workspaces.changed: replaced, added or removed, other rows untouched', () => {
    const api = { ...base, name: 'api' }
    const list = [base, api]
    const stopped = { ...base, container: 'exited' }
    const replaced = withChange(list, { name: 'web', workspace: stopped })
    expect(replaced).toEqual([stopped, api])
    expect(replaced[1]).toBe(api)
    expect(withChange(list, { name: 'new', workspace: { ...base, name: 'new' } }).map((w) => w.name)).toEqual(['web', 'api', 'new'])
    expect(withChange(list, { name: 'web' })).toEqual([api])
    expect(withChange(list, { name: 'gone' })).toBe(list)
  })

  it('asks for a forced remove only while the container runs', () => {
    expect(removeNeedsForce(base)).toBe(true)
    expect(removeNeedsForce({ ...base, container: 'exited' })).toBe(false)
    expect(removeNeedsForce({ ...base, container: 'missing' })).toBe(false)
  })

  it('sorts newest first, by name on ties, so refreshes never reorder rows', () => {
    const older = { ...base, name: 'a', createdAt: '2025-01-01T10:00:00.000Z' }
    const tieB = { ...base, name: 'b' }
    const tieC = { ...base, name: 'c' }
    expect(sortWorkspaces([older, tieC, tieB]).map((w) => w.name)).toEqual(['b', 'c', 'a'])
  })
})

describe('workspace names', () => {
  it('accepts an empty field (the name is optional) and what the contract accepts', () => {
    expect(nameProblem('')).toBeUndefined()
    expect(nameProblem('web-2')).toBeUndefined()
    expect(nameProblem('a'.repeat(63))).toBeUndefined()
  })

  it('explains what the contract refuses, in its own words', () => {
    const rule = 'Use 1 to 63 lowercase letters, digits and dashes, starting with a letter or digit.'
    expect(nameProblem('Web')).toBe(rule)
    expect(nameProblem('-web')).toBe(rule)
    expect(nameProblem('my app')).toBe(rule)
    expect(nameProblem('a'.repeat(64))).toBe(rule)
  })

  it('picks a default name as the core does: the template id and six hex digits', () => {
    expect(defaultWorkspaceName('shell', () => new Uint8Array([0x3f, 0xa9, 0x0c]))).toBe('shell-3fa90c')
    const long = defaultWorkspaceName('t'.repeat(63), () => new Uint8Array(3))
    expect(long).toBe(`${'t'.repeat(50)}-000000`)
    expect(nameProblem(long)).toBeUndefined()
  })
})

describe('hints', () => {
  it('splits a hint from the output lines that follow it', () => {
    expect(splitHint('The last lines of its output:\nnpm ERR! code E404\nnpm ERR! 404 Not Found\n')).toEqual({
      text: 'The last lines of its output:',
      output: 'npm ERR! code E404\nnpm ERR! 404 Not Found'
    })
    expect(splitHint('Pick another name.')).toEqual({ text: 'Pick another name.' })
    expect(splitHint(undefined)).toEqual({})
    expect(splitHint('Nothing came out:\n\n')).toEqual({ text: 'Nothing came out:' })
  })

  it('sets the commands a hint names in backticks as code', () => {
    expect(codeSegments('Pick another name, or remove it first with `sandlot rm`.')).toEqual([
      { text: 'Pick another name, or remove it first with ', code: false },
      { text: 'sandlot rm', code: true },
      { text: '.', code: false }
    ])
    expect(codeSegments('no code ` here')).toEqual([{ text: 'no code ` here', code: false }])
  })

  it('ends a hint as a sentence, so another can follow it', () => {
    expect(asSentence('Check DOCKER_HOST, or unset it to use the local engine')).toBe('Check DOCKER_HOST, or unset it to use the local engine.')
    expect(asSentence('Start Docker Desktop or dockerd.')).toBe('Start Docker Desktop or dockerd.')
  })

  it('shows preview URLs without the scheme', () => {
    expect(previewLabel('http://127.0.0.1:32773')).toBe('127.0.0.1:32773')
    expect(previewLabel('http://127.0.0.1:32773/')).toBe('127.0.0.1:32773')
  })
})

describe('the question before a remove', () => {
  it('says what removing does to the workspace as it is now', () => {
    expect(removeQuestion({ ...base, container: 'exited' })).toEqual({
      force: false,
      confirmLabel: 'Remove',
      consequence: 'Its container is deleted with everything in `/app`. This cannot be undone.'
    })
    expect(removeQuestion(base)).toMatchObject({ force: true, confirmLabel: 'Stop and remove', consequence: expect.stringMatching(/^It is running\. Sandlot stops it/) })
    // Being created (by this window or anyone): removing cancels that, it is not merely "running".
    expect(removeQuestion({ ...base, status: 'creating', phase: 'install' })).toMatchObject({
      force: true,
      confirmLabel: 'Cancel and remove',
      consequence: expect.stringMatching(/^It is still being created; removing cancels it/)
    })
  })
})
