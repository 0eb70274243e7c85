import { describe, expect, it } from 'vitest'
import { BridgeError, type Bridge } from '../bridge/bridge'
import { ActionStore, retrySource } from './workspace-actions'

/** A bridge whose calls the test answers one by one. */
function fakeBridge() {
  const calls: Array<{ method: string; params: unknown; answer: (error?: BridgeError) => void }> = []
  const bridge: Pick<Bridge, 'call'> = {
    call: ((method: string, params: unknown) =>
      new Promise((resolve, reject) => calls.push({ method, params, answer: (error) => (error ? reject(error) : resolve({} as never)) }))) as Bridge['call']
  }
  return { bridge, calls }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('workspace actions', () => {
  it('runs one action per workspace at a time, busy until the list shows its effect', async () => {
    const { bridge, calls } = fakeBridge()
    const store = new ActionStore(bridge)
    let refreshed!: () => void
    const afterwards = () => new Promise<void>((resolve) => (refreshed = resolve))

    const stop = store.run('web', 'stop', { afterwards })
    expect(store.snapshot().busy).toEqual({ web: 'stop' })
    // A second action on it (a second Remove, say) is refused while the first is under way; another workspace is not held up.
    await expect(store.run('web', 'remove', { force: true, afterwards })).resolves.toBe('refused')
    void store.run('api', 'restart', { afterwards: async () => undefined })
    expect(calls.map((c) => [c.method, c.params])).toEqual([
      ['workspaces.stop', { name: 'web' }],
      ['workspaces.restart', { name: 'api' }]
    ])

    calls[0]!.answer()
    await settle()
    expect(store.snapshot().busy.web).toBe('stop')
    refreshed()
    await expect(stop).resolves.toBe('done')
    expect(store.snapshot().busy.web).toBeUndefined()
  })

  it('keeps a failure until dismissed or the next action on that workspace', async () => {
    const { bridge, calls } = fakeBridge()
    const store = new ActionStore(bridge)
    const afterwards = async () => undefined

    const remove = store.run('web', 'remove', { force: true, afterwards })
    expect(calls[0]?.params).toEqual({ name: 'web', force: true })
    calls[0]!.answer(new BridgeError({ code: 'CONFLICT', message: 'web is running.', hint: 'Stop it first.' }))
    await expect(remove).resolves.toBe('failed')
    expect(store.snapshot().failures.web).toEqual({ action: 'remove', error: { code: 'CONFLICT', message: 'web is running.', hint: 'Stop it first.' } })

    void store.run('web', 'stop', { afterwards })
    expect(store.snapshot().failures.web).toBeUndefined()
    calls[1]!.answer(new BridgeError({ code: 'DISCONNECTED', message: 'The connection dropped before the answer came.' }))
    await settle()
    expect(store.snapshot().failures.web?.error.code).toBe('DISCONNECTED')
    store.dismissFailure('web')
    expect(store.snapshot().failures).toEqual({})
  })

  it('retries a failed workspace as a create of the same template and name that replaces it', async () => {
    const { bridge, calls } = fakeBridge()
    const store = new ActionStore(bridge)
    const retry = store.run('web', 'retry', { retry: { template: 'react-vite-ts' }, afterwards: async () => undefined })
    expect(store.snapshot().busy).toEqual({ web: 'retry' })
    expect(calls.map((c) => [c.method, c.params])).toEqual([['workspaces.create', { template: 'react-vite-ts', name: 'web', replace: true }]])
    calls[0]!.answer(new BridgeError({ code: 'INSTALL_FAILED', message: 'npm ci exited with code 1.' }))
    await expect(retry).resolves.toBe('failed')
    expect(store.snapshot().failures.web).toMatchObject({ action: 'retry', error: { code: 'INSTALL_FAILED' } })
  })

  it("keeps the failed workspace's own idle stop when it retries", async () => {
    const { bridge, calls } = fakeBridge()
    const store = new ActionStore(bridge)
    void store.run('web', 'retry', { retry: retrySource({ templateId: 'shell', idleStopMinutes: 0 }), afterwards: async () => undefined })
    void store.run('api', 'retry', { retry: retrySource({ templateId: 'node-api' }), afterwards: async () => undefined })
    expect(calls.map((c) => c.params)).toEqual([
      { template: 'shell', idleStopMinutes: 0, name: 'web', replace: true },
      { template: 'node-api', name: 'api', replace: true }
    ])
  })

  it('opens the editor through workspaces.openEditor, and keeps what to install when it fails', async () => {
    const { bridge, calls } = fakeBridge()
    const store = new ActionStore(bridge)
    const opened = store.run('web', 'editor', { afterwards: async () => undefined })
    expect(calls.map((c) => [c.method, c.params])).toEqual([['workspaces.openEditor', { name: 'web' }]])
    const hint = 'Install it: `code --install-extension ms-vscode-remote.remote-containers`'
    calls[0]!.answer(new BridgeError({ code: 'EDITOR_MISSING', message: 'code has no Dev Containers extension.', hint }))
    await expect(opened).resolves.toBe('failed')
    expect(store.snapshot().failures.web).toMatchObject({ action: 'editor', error: { code: 'EDITOR_MISSING', hint } })
  })

  it('restarts the app alone through workspaces.process (the container keeps running)', async () => {
    const { bridge, calls } = fakeBridge()
    const store = new ActionStore(bridge)
    const restarted = store.run('web', 'app-restart', { afterwards: async () => undefined })
    expect(store.snapshot().busy).toEqual({ web: 'app-restart' })
    expect(calls.map((c) => [c.method, c.params])).toEqual([['workspaces.process', { name: 'web', action: 'restart' }]])
    calls[0]!.answer()
    await expect(restarted).resolves.toBe('done')
  })
})
