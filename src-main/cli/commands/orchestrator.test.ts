import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../program'
import { capturedIo } from '../testing/captured-io'

const home = mkdtempSync(join(tmpdir(), 'sandlot-orch-cli-'))
afterAll(() => rmSync(home, { recursive: true, force: true }))
const run = async (...argv: string[]) => {
  const io = capturedIo({ SANDLOT_HOME: home })
  const code = await runCli(argv, io)
  return { code, out: io.out(), err: io.err() }
}

describe('sandlot orchestrator', () => {
  it('token add prints the token once, list shows it without the token, revoke marks it', async () => {
    const added = await run('--json', 'orchestrator', 'token', 'add', 'alice')
    expect(added.code, added.err).toBe(0)
    const { token } = JSON.parse(added.out) as { token: string }
    expect(token).toMatch(/^sot_[0-9a-f]{64}$/)
    const listed = await run('--json', 'orchestrator', 'token', 'list')
    expect(listed.out).not.toContain(token)
    expect(JSON.parse(listed.out)).toMatchObject({ tokens: [{ name: 'alice', role: 'host', revokedAt: null }] })
    expect((await run('orchestrator', 'token', 'revoke', 'alice')).code).toBe(0)
    expect(JSON.parse((await run('--json', 'orchestrator', 'token', 'list')).out)).toMatchObject({ tokens: [{ name: 'alice', revokedAt: expect.any(String) }] })
    const unknown = await run('--json', 'orchestrator', 'token', 'revoke', 'nobody')
    expect(unknown.code).toBe(1)
    expect(JSON.parse(unknown.out)).toMatchObject({ error: { code: 'NOT_FOUND' } })
  }, 60_000)

  it('refuses bad usage with exit code 2, changing nothing', async () => {
    expect((await run('orchestrator', 'token', 'add', 'Not A Name')).code).toBe(2)
    expect((await run('orchestrator', 'token', 'add', 'bob', '--role', 'root')).code).toBe(2)
    expect((await run('orchestrator', 'serve', '--database', 'mysql://x')).code).toBe(2)
    const noToken = await run('--json', 'orchestrator', 'hosts')
    expect(noToken.code).toBe(2)
    expect(JSON.parse(noToken.out)).toMatchObject({ error: { code: 'BAD_USAGE', hint: expect.stringMatching(/SANDLOT_ORCHESTRATOR_TOKEN/) } })
    const both = await run('orchestrator', 'token', 'list', '--url', 'http://127.0.0.1:1', '--data', home)
    expect(both.code).toBe(2)
    expect(JSON.parse((await run('--json', 'orchestrator', 'token', 'list')).out).tokens.map((t: { name: string }) => t.name)).not.toContain('bob')
  }, 60_000)

  it('says when no orchestrator answers at --url', async () => {
    const result = await run('--json', 'orchestrator', 'errors', '--url', 'http://127.0.0.1:1', '--token', 'sot_x')
    expect(result.code).toBe(1)
    expect(JSON.parse(result.out)).toMatchObject({ error: { code: 'HOST_UNREACHABLE' } })
  })
})
