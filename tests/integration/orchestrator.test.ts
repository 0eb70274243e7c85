import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SyncBatch } from '../../src-main/core/contract/sync'
import { openOrchestratorDatabase, type DatabaseTarget, type OrchestratorDatabase } from '../../src-main/orchestrator'
import { batchOf, errorRecord, logBatch, logRecord } from '../../src-main/orchestrator/testing/sync-fixtures'
import { startOrchestrator, type OrchestratorProcess } from '../support/orchestrator-process'
import { startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster'
import { runSandlot } from '../support/run-cli'
import { waitFor } from '../support/wait'
import { count } from 'drizzle-orm'
import { errorOccurrences, events, logLines } from '../../src-main/orchestrator/store/schema'

// `sandlot orchestrator serve` as a real process on loopback, on a real PostgreSQL server and on the embedded store.
const started = await startPostgresCluster()
if ('unavailable' in started) console.warn(`orchestrator integration: the PostgreSQL runs are skipped: ${started.unavailable}`)
const cluster: PostgresCluster | undefined = 'cluster' in started ? started.cluster : undefined
afterAll(() => cluster?.stop())

const home = mkdtempSync(join(tmpdir(), 'sandlot-orch-it-'))
afterAll(() => rmSync(home, { recursive: true, force: true }))
const env = { SANDLOT_HOME: home }

interface Setup {
  storeArgs: string[]
  target: DatabaseTarget
}

async function post(url: string, token: string | undefined, body: string | object): Promise<{ status: number; body: { error?: { code: string; message: string }; stored?: number; duplicates?: number; host?: string } }> {
  const response = await fetch(`${url}/api/sync/batches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  })
  return { status: response.status, body: (await response.json()) as never }
}

async function addToken(storeArgs: string[], name: string, role = 'host'): Promise<string> {
  const run = await runSandlot(['--json', 'orchestrator', 'token', 'add', name, '--role', role, ...storeArgs], env)
  expect(run.code, run.stderr).toBe(0)
  return (JSON.parse(run.stdout) as { token: string }).token
}

/** What the database holds, read directly (the embedded one only while no orchestrator has it open). */
async function stored(target: DatabaseTarget): Promise<{ logs: number; events: number; errors: number }> {
  const d = await openOrchestratorDatabase(target)
  try {
    return await countsIn(d)
  } finally {
    await d.close()
  }
}

async function countsIn(d: OrchestratorDatabase) {
  const n = async (table: typeof logLines | typeof events | typeof errorOccurrences) => (await d.db.select({ n: count() }).from(table))[0]?.n ?? -1
  return { logs: await n(logLines), events: await n(events), errors: await n(errorOccurrences) }
}

const setups: Array<{ driver: string; setup: () => Promise<Setup>; skip: boolean }> = [
  {
    driver: 'postgres',
    skip: cluster === undefined,
    setup: async () => {
      const url = await cluster!.createDatabase()
      return { storeArgs: ['--database', url], target: { url } }
    }
  },
  {
    driver: 'pglite',
    skip: false,
    setup: async () => {
      const folder = mkdtempSync(join(home, 'data-'))
      return { storeArgs: ['--data', folder], target: { folder } }
    }
  }
]

describe.each(setups)('sandlot orchestrator serve on $driver', ({ driver, setup, skip }) => {
  let s: Setup
  let alice: string
  let bob: string
  let reader: string
  let admin: string
  let orchestrator: OrchestratorProcess
  beforeAll(async () => {
    if (skip) return
    s = await setup()
    // With the embedded store, tokens are added before the orchestrator holds the folder.
    alice = await addToken(s.storeArgs, 'alice')
    bob = await addToken(s.storeArgs, 'bob')
    reader = await addToken(s.storeArgs, 'reader', 'reader')
    admin = await addToken(s.storeArgs, 'admin', 'admin')
    orchestrator = await startOrchestrator(s.storeArgs, env)
  })
  afterAll(async () => orchestrator?.stop())

  it.skipIf(skip)('refuses no token, a wrong one, and a reader’s, storing nothing', async () => {
    const batch = logBatch(0, 5)
    expect(await post(orchestrator.url, undefined, batch)).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } })
    expect(await post(orchestrator.url, `${alice}0`, batch)).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } })
    expect(await post(orchestrator.url, reader, batch)).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } })
    const logs = await fetch(`${orchestrator.url}/api/fleet/logs`, { headers: { authorization: `Bearer ${reader}` } })
    expect(((await logs.json()) as { lines: unknown[] }).lines).toEqual([])
    expect((await fetch(`${orchestrator.url}/api/fleet/logs`, { headers: { authorization: `Bearer ${alice}` } })).status).toBe(403)
  })

  it.skipIf(skip)('refuses malformed and oversized batches whole (400, 413), storing nothing', async () => {
    expect(await post(orchestrator.url, alice, '{"batch": "x", ')).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } })
    // Valid records, then one that is not: the whole batch is refused.
    const mixed = batchOf([logRecord(100), errorRecord(101, 'fp'), { ...logRecord(102), seq: -1 }])
    const refused = await post(orchestrator.url, alice, mixed)
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } })
    expect(refused.body.error?.message).toMatch(/records\.2\.seq/)
    // Valid to the contract, refused by the database (a seq past PostgreSQL's integer): 400 too, nothing kept.
    expect(await post(orchestrator.url, alice, batchOf([logRecord(103), logRecord(2 ** 31)]))).toMatchObject({ status: 400 })
    const huge = batchOf(Array.from({ length: 300 }, (_, i) => logRecord(200 + i, 'x'.repeat(60_000))))
    expect(await post(orchestrator.url, alice, huge)).toMatchObject({ status: 413, body: { error: { code: 'TOO_LARGE' } } })
    const logs = await fetch(`${orchestrator.url}/api/fleet/logs`, { headers: { authorization: `Bearer ${reader}` } })
    expect(((await logs.json()) as { lines: unknown[] }).lines).toEqual([])
  })

  it.skipIf(skip)("stores under the token's host: a host cannot write in another's name", async () => {
    const claimed = { ...batchOf([logRecord(1)]), host: 'bob' } as unknown as SyncBatch
    expect(await post(orchestrator.url, alice, claimed)).toMatchObject({ status: 400 })
    expect(await post(orchestrator.url, bob, batchOf([logRecord(1), errorRecord(2, 'fp-both')]))).toMatchObject({ status: 200, body: { stored: 2, host: 'bob' } })
    // The same keys from alice are alice's records, whatever hostname her desktop says.
    const asBob = { agent: { hostname: 'bob', version: '0.1.0' } }
    expect(await post(orchestrator.url, alice, batchOf([logRecord(1), errorRecord(2, 'fp-both')], asBob))).toMatchObject({ status: 200, body: { stored: 2, host: 'alice' } })
    const errors = (await (await fetch(`${orchestrator.url}/api/fleet/errors`, { headers: { authorization: `Bearer ${reader}` } })).json()) as { errors: Array<{ fingerprint: string; hosts: string[]; count: number }> }
    expect(errors.errors).toMatchObject([{ fingerprint: 'fp-both', hosts: ['alice', 'bob'], count: 2 }])
    // The CLI verbs read the same.
    const cli = await runSandlot(['--json', 'orchestrator', 'hosts', '--url', orchestrator.url, '--token', reader], env)
    expect(cli.code, cli.stderr).toBe(0)
    const listed = (JSON.parse(cli.stdout) as { hosts: Array<{ name: string; agent: string; syncDelay: { records: number; p50Ms: number; maxMs: number } | null }> }).hosts
    expect(listed.map((h) => [h.name, h.agent])).toEqual([
      ['alice', 'bob 0.1.0'],
      ['bob', 'laptop 0.1.0']
    ])
    // Each host's delay is measured on the two records its batch stored (stamped in the fixtures' past, so at least a day).
    for (const host of listed) expect(host.syncDelay).toMatchObject({ records: 2, p50Ms: expect.any(Number), maxMs: expect.any(Number) })
    expect(listed[0]?.syncDelay?.p50Ms).toBeGreaterThan(86_400_000)
    const table = await runSandlot(['orchestrator', 'hosts', '--url', orchestrator.url, '--token', reader], env)
    expect(table.stdout).toMatch(/HOST\s+LAST CONTACT\s+LAST RECORD\s+SYNC DELAY\s+WORKSPACES\s+AGENT/)
    expect(table.stdout).toMatch(/\nalice\s+(just now|[\d.]+ s ago)\s+\d+ d ago\s+p50 \d+ d, max \d+ d \((just now|[\d.]+ s ago)\)\s+0\s+bob 0\.1\.0/)
    // A gap a desktop reported (lines its outbox skipped, events and errors retention deleted unsent) reads whole.
    const gap = { workspace: 'web', lines: 40, events: 2, errors: 1, from: logRecord(0).ts, to: logRecord(9).ts }
    expect(await post(orchestrator.url, alice, batchOf([], { dropped: [gap] }))).toMatchObject({ status: 200 })
    const events = await runSandlot(['orchestrator', 'events', '--host', 'alice', '--url', orchestrator.url, '--token', reader], env)
    expect(events.stdout).toContain(`${gap.to}  alice/web  gap  40 log lines, 2 events, 1 error never sent by the desktop`)
  })

  it.skipIf(skip)('SIGKILLed in the middle of a batch and between batches, restarted: every record stored exactly once', async () => {
    const first = logBatch(1000, 2000)
    const second = logBatch(3000, 2000)
    // Killed while a batch is on its way: whether it was committed or not, the desktop sends it again.
    const inFlight = post(orchestrator.url, alice, first).catch((err: Error) => err)
    await new Promise((r) => setTimeout(r, 30))
    await orchestrator.kill()
    await inFlight
    orchestrator = await startOrchestrator(s.storeArgs, env)
    const resent = await post(orchestrator.url, alice, first)
    expect(resent.status).toBe(200)
    expect((resent.body.stored ?? 0) + (resent.body.duplicates ?? 0)).toBe(2000)
    // Killed between batches: the acknowledged one stays.
    expect(await post(orchestrator.url, alice, second)).toMatchObject({ status: 200, body: { stored: 2000, duplicates: 0 } })
    await orchestrator.kill()
    orchestrator = await startOrchestrator(s.storeArgs, env)
    expect(await post(orchestrator.url, alice, second)).toMatchObject({ status: 200, body: { stored: 0, duplicates: 2000 } })
    const lines = (await (await fetch(`${orchestrator.url}/api/fleet/logs?host=alice&limit=5000&search=ECONNREFUSED`, { headers: { authorization: `Bearer ${reader}` } })).json()) as { lines: Array<{ line: string }> }
    expect(lines.lines).toHaveLength(400)
    expect(new Set(lines.lines.map((l) => l.line)).size).toBe(400)
    if (driver === 'postgres') {
      // Counted in the database itself: both batches once, and the line and error each host sent before.
      expect(await stored(s.target)).toEqual({ logs: 4002, events: 0, errors: 2 })
    }
  }, 180_000)

  it.skipIf(skip)('refuses a revoked token from the next request on, storing nothing', async () => {
    expect(await post(orchestrator.url, bob, batchOf([logRecord(50)]))).toMatchObject({ status: 200 })
    // A PostgreSQL server is shared: revoked in the database while the orchestrator runs. The embedded store is
    // held by its orchestrator: revoked through it, with an admin token (a reader's is refused).
    if (driver === 'pglite') {
      const locked = await runSandlot(['orchestrator', 'token', 'revoke', 'bob', ...s.storeArgs], env)
      expect(locked.code).toBe(1)
      expect(locked.stderr).toMatch(/in use by process/)
      const asReader = await runSandlot(['orchestrator', 'token', 'revoke', 'bob', '--url', orchestrator.url, '--token', reader], env)
      expect(asReader.code).toBe(1)
      expect(asReader.stderr).toMatch(/cannot do this/)
    }
    const revoke = await runSandlot(['orchestrator', 'token', 'revoke', 'bob', ...(driver === 'pglite' ? ['--url', orchestrator.url, '--token', admin] : s.storeArgs)], env)
    expect(revoke.code, revoke.stderr).toBe(0)
    expect(await post(orchestrator.url, bob, batchOf([logRecord(51)]))).toMatchObject({ status: 401, body: { error: { message: expect.stringMatching(/revoked/) } } })
    const logs = (await (await fetch(`${orchestrator.url}/api/fleet/logs?host=bob`, { headers: { authorization: `Bearer ${reader}` } })).json()) as { lines: Array<{ line: string }> }
    expect(logs.lines.map((l) => l.line)).toEqual(['line 50 of the app', 'line 1 of the app'])
  })
})

describe.skipIf(cluster === undefined)('PostgreSQL restarted under a running orchestrator', () => {
  it('answers 503 while it is away, storing nothing half; then stores every record once', async () => {
    const url = await cluster!.createDatabase()
    const storeArgs = ['--database', url]
    const carol = await addToken(storeArgs, 'carol')
    const orchestrator = await startOrchestrator(storeArgs, env)
    try {
      expect(await post(orchestrator.url, carol, logBatch(0, 500))).toMatchObject({ status: 200, body: { stored: 500 } })
      cluster!.pause()
      try {
        expect(await post(orchestrator.url, carol, logBatch(500, 500))).toMatchObject({ status: 503, body: { error: { code: 'DATABASE' } } })
      } finally {
        cluster!.resume()
      }
      // The desktop retries: the pool reconnects on its own.
      const ack = await waitFor('the orchestrator to store again', async () => {
        const answer = await post(orchestrator.url, carol, logBatch(500, 500))
        return answer.status === 200 ? answer.body : undefined
      }, 30_000)
      expect(ack).toMatchObject({ stored: 500, duplicates: 0 })
      expect(await stored({ url })).toEqual({ logs: 1000, events: 0, errors: 0 })
    } finally {
      await orchestrator.stop()
    }
  })
})

describe('listening off loopback', () => {
  it('is refused without TLS or --behind-proxy, with what to do', async () => {
    const run = await runSandlot(['orchestrator', 'serve', '--host', '0.0.0.0', '--port', '0', '--data', join(home, 'refused')], env)
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/needs TLS/)
    expect(run.stderr).toMatch(/--tls-cert/)
  })

  it('serves HTTPS with a certificate and key', async () => {
    const dir = mkdtempSync(join(home, 'tls-'))
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'pipe' })
    const data = ['--data', join(dir, 'data')]
    const orchestrator = await startOrchestrator([...data, '--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem')], env)
    try {
      expect(orchestrator.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
      const health = execFileSync('curl', ['-s', '--cacert', join(dir, 'cert.pem'), `${orchestrator.url}/api/health`], { encoding: 'utf8' })
      expect(JSON.parse(health)).toEqual({ status: 'ok' })
    } finally {
      await orchestrator.stop()
    }
  })
})
