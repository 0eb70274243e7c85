import { describe, expect, it } from 'vitest'
import type { ErrorGroup, Workspace } from '../../core/contract'
import { SandlotError } from '../../core/sandlot-error'
import { fakeCoreApi, unreachableStatus } from '../../transport/test-support/fake-core-api'
import { createRestApp, MAX_BODY_BYTES } from './rest-app'

const TOKEN = 'a'.repeat(64)
const HOST = '127.0.0.1:7373'
const ORIGIN = 'http://127.0.0.1:7373'
const workspace: Workspace = {
  name: 'one',
  templateId: 'shell',
  containerId: 'c1',
  status: 'ready',
  phase: 'ready',
  container: 'running',
  createdAt: '2026-01-01T00:00:00.000Z'
}

function appWith(calls: Array<[string, unknown]> = []) {
  const api = fakeCoreApi({
    'engine.status': () => unreachableStatus,
    'workspaces.get': (params) => {
      calls.push(['workspaces.get', params])
      if (params.name !== 'one') throw new SandlotError('NOT_FOUND', `No workspace named "${params.name}".`, 'See them with `sandlot ls`.')
      return workspace
    },
    'workspaces.create': (params) => {
      calls.push(['workspaces.create', params])
      return workspace
    },
    'workspaces.process': (params) => {
      calls.push(['workspaces.process', params])
      return { state: 'running' }
    },
    'sync.status': () => ({ enabled: true, url: 'https://o.example', lastAckAt: null, waiting: 3, lagMs: 1200, droppedLines: 0, droppedEvents: 0, droppedErrors: 0, lastError: null }),
    'history.errors': (params) => {
      calls.push(['history.errors', params])
      return []
    },
    'workspaces.openEditor': (params) => {
      calls.push(['workspaces.openEditor', params])
      if (params.name === 'bare') throw new SandlotError('EDITOR_MISSING', 'code has no Dev Containers extension.', 'Install it.')
      return { name: params.name, command: 'code', args: ['--folder-uri', 'vscode-remote://attached-container+7b/app'], opened: 'container', uri: 'vscode-remote://attached-container+7b/app' }
    },
    'workspaces.update': (params) => {
      calls.push(['workspaces.update', params])
      if (params.name !== 'one') throw new SandlotError('NOT_FOUND', `No workspace named "${params.name}".`, 'See them with `sandlot ls`.')
      return params.idleStopMinutes === null ? workspace : { ...workspace, idleStopMinutes: params.idleStopMinutes }
    },
    'workspaces.exec': (params) => {
      calls.push(['workspaces.exec', params])
      return { exitCode: 0, stdout: 'hi\n', stderr: '', stdoutTruncated: false, stderrTruncated: false, timedOut: false }
    }
  })
  return createRestApp({ api, token: () => TOKEN, hosts: new Set([HOST]), origins: new Set([ORIGIN]) })
}

function request(path: string, init: RequestInit & { token?: string | null } = {}) {
  const headers = new Headers(init.headers)
  if (!headers.has('host')) headers.set('host', HOST)
  if (init.token !== null) headers.set('authorization', `Bearer ${init.token ?? TOKEN}`)
  return new Request(`http://${HOST}${path}`, { ...init, headers })
}

describe('REST API', () => {
  it('answers the sync status, with the token only', async () => {
    const res = await appWith().request(request('/api/sync/status'))
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ enabled: true, waiting: 3, lagMs: 1200 })
    expect((await appWith().request(request('/api/sync/status', { token: null }))).status).toBe(401)
  })

  it('answers /api/health without a token, revealing nothing else', async () => {
    const res = await appWith().request(request('/api/health', { token: null }))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true })
  })

  it('refuses a missing or wrong token with 401 and a JSON error', async () => {
    for (const token of [null, 'b'.repeat(64), `${TOKEN}x`]) {
      const res = await appWith().request(request('/api/engine', { token }))
      expect(res.status).toBe(401)
      expect(res.headers.get('www-authenticate')).toBe('Bearer')
      expect((await res.json()).error.code).toBe('UNAUTHORIZED')
    }
    expect((await appWith().request(request('/api/engine'))).status).toBe(200)
  })

  it('refuses another Host (DNS rebinding) and another Origin (web pages), even with the token', async () => {
    expect((await appWith().request(request('/api/engine', { headers: { host: 'evil.example:7373' } }))).status).toBe(403)
    expect((await appWith().request(request('/api/engine', { headers: { origin: 'http://evil.example' } }))).status).toBe(403)
    expect((await appWith().request(request('/api/engine', { headers: { origin: ORIGIN } }))).status).toBe(200)
  })

  it('maps core errors to statuses: an unknown workspace is 404', async () => {
    const res = await appWith().request(request('/api/workspaces/nope'))
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No workspace named "nope".', hint: 'See them with `sandlot ls`.' } })
  })

  it('answers malformed JSON with 400 and an invalid body with 422, calling nothing', async () => {
    const calls: Array<[string, unknown]> = []
    const app = appWith(calls)
    const post = (body: string) => request('/api/workspaces', { method: 'POST', body, headers: { 'content-type': 'application/json' } })
    const malformed = await app.request(post('{"template":'))
    expect(malformed.status).toBe(400)
    expect((await malformed.json()).error.code).toBe('BAD_REQUEST')
    const invalid = await app.request(post('{"template":"shell","name":"Not A Name"}'))
    expect(invalid.status).toBe(422)
    expect((await invalid.json()).error.message).toMatch(/name/)
    const badPath = await app.request(request('/api/workspaces/UPPER'))
    expect(badPath.status).toBe(422)
    expect(calls).toEqual([])
  })

  it('changes a workspace’s idle stop with PATCH /api/workspaces/{name}; a bad value is 422 in the contract’s words, an unknown workspace 404', async () => {
    const calls: Array<[string, unknown]> = []
    const app = appWith(calls)
    const patch = (name: string, body: string) => request(`/api/workspaces/${name}`, { method: 'PATCH', body, headers: { 'content-type': 'application/json' } })
    const set = await app.request(patch('one', '{"idleStopMinutes":45}'))
    expect(set.status).toBe(200)
    expect(await set.json()).toMatchObject({ name: 'one', idleStopMinutes: 45 })
    expect((await app.request(patch('one', '{"idleStopMinutes":null}'))).status).toBe(200)
    expect(calls).toEqual([
      ['workspaces.update', { name: 'one', idleStopMinutes: 45 }],
      ['workspaces.update', { name: 'one', idleStopMinutes: null }]
    ])
    for (const bad of ['{"idleStopMinutes":10081}', '{"idleStopMinutes":"30"}', '{}']) {
      const refused = await app.request(patch('one', bad))
      expect(refused.status).toBe(422)
      expect((await refused.json()).error.message).toMatch(/give a whole number of minutes from 0 \(never\) to 10080 \(a week\)/)
    }
    // The name is the path's; a body naming another workspace is refused, not obeyed.
    expect((await app.request(patch('one', '{"idleStopMinutes":5,"name":"other"}'))).status).toBe(422)
    expect(calls).toHaveLength(2)
    const unknown = await app.request(patch('two', '{"idleStopMinutes":5}'))
    expect(unknown.status).toBe(404)
    expect((await unknown.json()).error).toMatchObject({ code: 'NOT_FOUND', hint: 'See them with `sandlot ls`.' })
  })

  it('refuses a body over the limit with 413', async () => {
    const calls: Array<[string, unknown]> = []
    const body = JSON.stringify({ command: 'cat', stdin: 'x'.repeat(MAX_BODY_BYTES) })
    const res = await appWith(calls).request(request('/api/workspaces/one/exec', { method: 'POST', body, headers: { 'content-type': 'application/json' } }))
    expect(res.status).toBe(413)
    expect((await res.json()).error.code).toBe('TOO_LARGE')
    expect(calls).toEqual([])
  })

  it('passes the path, query and body to the contract method', async () => {
    const calls: Array<[string, unknown]> = []
    const res = await appWith(calls).request(
      request('/api/workspaces/one/exec', { method: 'POST', body: JSON.stringify({ command: 'echo', args: ['hi'], timeoutMs: 5000 }), headers: { 'content-type': 'application/json' } })
    )
    expect(res.status).toBe(200)
    expect((await res.json()).stdout).toBe('hi\n')
    expect(calls).toEqual([['workspaces.exec', { name: 'one', command: 'echo', args: ['hi'], timeoutMs: 5000 }]])
  })

  it('serves the seeds\' monitoring routes as aliases of the same contract calls, behind the same token', async () => {
    const calls: Array<[string, unknown]> = []
    const app = appWith(calls)
    expect(await (await app.request(request('/api/monitoring/process/one/status'))).json()).toEqual({ state: 'running' })
    expect((await app.request(request('/api/monitoring/process/one/stop', { method: 'POST' }))).status).toBe(200)
    expect((await app.request(request('/api/workspaces/one/process/restart', { method: 'POST' }))).status).toBe(200)
    expect(await (await app.request(request('/api/monitoring/errors/one'))).json()).toEqual([])
    expect((await app.request(request('/api/monitoring/process/one/restart', { method: 'POST' }))).status).toBe(422)
    expect((await app.request(request('/api/monitoring/errors/one', { token: null }))).status).toBe(401)
    expect(calls).toEqual([
      ['workspaces.process', { name: 'one', action: 'status' }],
      ['workspaces.process', { name: 'one', action: 'stop' }],
      ['workspaces.process', { name: 'one', action: 'restart' }],
      ['history.errors', { workspace: 'one' }]
    ])
  })

  it('streams error groups from now when Last-Event-ID is not a time, instead of never sending any', async () => {
    const group = (lastSeen: string): ErrorGroup => ({
      workspace: 'one', fingerprint: lastSeen, category: 'runtime', severity: 'error', message: 'boom', count: 1, firstSeen: lastSeen, lastSeen, unread: true
    })
    const api = fakeCoreApi({ 'history.errors': () => [group('2000-01-01T00:00:00.000Z'), group('2099-01-01T00:00:00.000Z')] })
    const app = createRestApp({ api, token: () => TOKEN, hosts: new Set([HOST]), origins: new Set([ORIGIN]) })
    const res = await app.request(request('/api/history/errors/stream', { headers: { 'last-event-id': 'not-a-date' } }))
    expect(res.status).toBe(200)
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    let text = ''
    while (!text.includes('\n\n')) {
      const { value, done } = await reader.read()
      if (done) break
      text += decoder.decode(value, { stream: true })
    }
    await reader.cancel()
    expect(text).toContain('id: 2099-01-01T00:00:00.000Z')
    expect(text).not.toContain('2000-01-01')
  })

  it('opens the editor with POST /api/workspaces/{name}/editor; a missing editor is 409 with what to install', async () => {
    const calls: Array<[string, unknown]> = []
    const opened = await appWith(calls).request(request('/api/workspaces/one/editor', { method: 'POST' }))
    expect(opened.status).toBe(200)
    expect(await opened.json()).toMatchObject({ name: 'one', command: 'code', opened: 'container' })
    const missing = await appWith(calls).request(request('/api/workspaces/bare/editor', { method: 'POST' }))
    expect(missing.status).toBe(409)
    expect(await missing.json()).toEqual({ error: { code: 'EDITOR_MISSING', message: 'code has no Dev Containers extension.', hint: 'Install it.' } })
    expect(calls).toEqual([
      ['workspaces.openEditor', { name: 'one' }],
      ['workspaces.openEditor', { name: 'bare' }]
    ])
  })

  it('answers an unknown route with a JSON 404', async () => {
    const res = await appWith().request(request('/api/nothing'))
    expect(res.status).toBe(404)
    expect((await res.json()).error.code).toBe('NOT_FOUND')
  })
})
