import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openSandlotCore, type SandlotCore } from './sandlot-core'

const cores: SandlotCore[] = []
afterEach(() => {
  for (const core of cores.splice(0)) core.close()
})

function open(home: string, env: NodeJS.ProcessEnv = {}): SandlotCore {
  const core = openSandlotCore({ home, env })
  cores.push(core)
  return core
}

const home = () => mkdtempSync(join(tmpdir(), 'sandlot-core-'))

describe('the core', () => {
  it('keeps its instance id across processes opening the same data folder', () => {
    const h = home()
    const first = open(h).instanceId
    expect(open(h).instanceId).toBe(first)
    expect(open(home()).instanceId).not.toBe(first)
  })

  it('re-targets the engine when its settings change, and reports where it looked', async () => {
    const core = open(home(), { DOCKER_HOST: 'unix:///nonexistent/a.sock' })
    const seen: string[] = []
    core.api.subscribe('engine.status', (status) => seen.push(status.endpoint.url))
    await core.api.call('settings.update', { engine: { host: 'unix:///nonexistent/b.sock' } })
    const status = await core.api.call('engine.status', {})
    expect(status.state).toBe('unreachable')
    expect(status.endpoint).toMatchObject({ url: 'unix:///nonexistent/b.sock', source: 'settings' })
    expect(seen).toContain('unix:///nonexistent/b.sock')
    const view = await core.api.call('settings.get', {})
    expect(view.settings.engine.host).toBe('unix:///nonexistent/b.sock')
  })

  it('refuses unknown methods and bad parameters with BAD_REQUEST, changing nothing', async () => {
    const core = open(home())
    await expect(core.api.call('no.such.method', {})).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    await expect(core.api.call('settings.update', { appearance: { theme: 'neon' } })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    expect((await core.api.call('settings.get', {})).settings.appearance.theme).toBe('system')
    expect(() => core.api.subscribe('no.such.event', () => {})).toThrow(/Unknown event/)
  })
})
