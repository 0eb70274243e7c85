import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openOrchestratorDatabase, type OrchestratorDatabase } from '../store/database'
import { addToken } from '../store/host-tokens'
import { listenPolicyProblem } from '../orchestrator-server'
import { batchOf, logRecord } from '../testing/sync-fixtures'
import { createOrchestratorApp } from './orchestrator-app'

let d: OrchestratorDatabase
let host: string
beforeAll(async () => {
  d = await openOrchestratorDatabase({ folder: undefined })
  host = (await addToken(d.db, 'alice', 'host')).token
}, 60_000)
afterAll(() => d.close())

const appWith = (behindProxy: boolean, peer: string) => createOrchestratorApp({ db: d.db, behindProxy, peer: () => peer, onProblem: () => undefined })
const send = (app: ReturnType<typeof appWith>, headers: Record<string, string>) =>
  app.request('/api/sync/batches', { method: 'POST', headers: { authorization: `Bearer ${host}`, ...headers }, body: JSON.stringify(batchOf([logRecord(0)])) })

describe('behind a proxy', () => {
  it('answers only what a loopback proxy forwarded over HTTPS', async () => {
    const app = appWith(true, '127.0.0.1')
    expect((await send(app, {})).status).toBe(403)
    expect((await send(app, { 'x-forwarded-proto': 'http' })).status).toBe(403)
    expect((await send(app, { 'x-forwarded-proto': 'https' })).status).toBe(200)
  })

  it('refuses a peer that is not on loopback, whatever it claims', async () => {
    const response = await send(appWith(true, '192.0.2.7'), { 'x-forwarded-proto': 'https' })
    expect(response.status).toBe(403)
    expect(await response.json()).toMatchObject({ error: { code: 'FORBIDDEN', message: expect.stringMatching(/TLS proxy/) } })
  })

  it('keeps the health check open for the proxy’s probes', async () => {
    expect((await appWith(true, '192.0.2.7').request('/api/health')).status).toBe(200)
  })
})

describe('query routes', () => {
  it('validate their filters: a bad one is 400 with the reason', async () => {
    const reader = (await addToken(d.db, 'ops', 'reader')).token
    const response = await appWith(false, '127.0.0.1').request('/api/fleet/logs?limit=0&colour=red', { headers: { authorization: `Bearer ${reader}` } })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: { code: 'BAD_REQUEST', message: expect.stringMatching(/limit/) } })
  })
})

describe('token management over HTTP', () => {
  it('is for admins: adds once (409 again), revokes, 404 for an unknown name; readers get 403', async () => {
    const app = appWith(false, '127.0.0.1')
    const admin = (await addToken(d.db, 'root', 'admin')).token
    const reader = (await addToken(d.db, 'viewer', 'reader')).token
    const call = (token: string, path: string, body?: object) =>
      app.request(path, { method: body === undefined && !path.endsWith('/revoke') ? 'GET' : 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
    expect((await call(reader, '/api/admin/tokens')).status).toBe(403)
    const added = await call(admin, '/api/admin/tokens', { name: 'carol', role: 'host' })
    expect(added.status).toBe(201)
    const { token } = (await added.json()) as { token: string }
    expect((await call(admin, '/api/admin/tokens', { name: 'carol' })).status).toBe(409)
    expect((await call(admin, '/api/admin/tokens', { name: 'Carol!' })).status).toBe(400)
    expect((await call(admin, '/api/admin/tokens/carol/revoke')).status).toBe(200)
    expect((await app.request('/api/sync/batches', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(batchOf([logRecord(1)])) })).status).toBe(401)
    expect((await call(admin, '/api/admin/tokens/nobody/revoke')).status).toBe(404)
  })
})

describe('listening', () => {
  it('off loopback needs TLS or a proxy; loopback does not', () => {
    expect(listenPolicyProblem({ host: '0.0.0.0', behindProxy: false })).toMatch(/needs TLS/)
    expect(listenPolicyProblem({ host: '10.0.0.5', behindProxy: true })).toBeUndefined()
    expect(listenPolicyProblem({ host: '0.0.0.0', behindProxy: false, tls: { certFile: 'c', keyFile: 'k' } })).toBeUndefined()
    expect(listenPolicyProblem({ host: '127.0.0.1', behindProxy: false })).toBeUndefined()
    expect(listenPolicyProblem({ host: '::1', behindProxy: false })).toBeUndefined()
    expect(listenPolicyProblem({ host: '127.0.0.1', behindProxy: true, tls: { certFile: 'c', keyFile: 'k' } })).toMatch(/not both/)
  })
})
