import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SandlotCore } from '../../src-main/core/sandlot-core'
import { STOP_GRACE_MS } from '../../src-main/core/workspaces/exec-process-group'
import { startApiServer, type ApiServer } from '../support/api-server'
import { tempSandlotHome } from '../support/run-cli'
import { waitFor } from '../support/wait'

// A streamed exec whose stream is closed (its client went away) stops its command in the container, with what
// the command started, even a process that ignores TERM: through the core's stream and through the SSE route.
const home = tempSandlotHome()
const id = Math.random().toString(16).slice(2, 8)
const name = `exec-stop-${id}`
let api: ApiServer
let core: SandlotCore

beforeAll(async () => {
  api = await startApiServer(home)
  core = api.core
  await core.workspaces.create({ template: 'shell', name })
}, 600_000)

afterAll(async () => {
  await api?.close()
})

/**
 * A command that prints `up` once its children run: a `sleep` in the background, one that ignores TERM (only
 * KILL stops it), and a loop in the foreground. `tag` marks every one of them in `ps`.
 */
function longCommand(tag: string): { command: string; args: string[] } {
  return { command: 'sh', args: ['-c', `sleep 3${tag}1 & (trap '' TERM; exec sleep 3${tag}2) & echo up; while :; do sleep 1; done`, `loop-${tag}`] }
}

/** The command lines running in the workspace now, from a plain exec of `ps`. */
async function processes(): Promise<string[]> {
  const result = await core.api.call('workspaces.exec', { name, command: 'ps', args: ['-eo', 'args='] })
  return result.stdout.split('\n').map((line) => line.trim())
}

async function expectRunning(tag: string): Promise<void> {
  const lines = await processes()
  expect(lines).toContain(`sleep 3${tag}1`)
  expect(lines).toContain(`sleep 3${tag}2`)
  expect(lines.some((line) => line.includes(`loop-${tag}`))).toBe(true)
}

/** Waits until nothing of the command is left in the container (the TERM, then the KILL after the grace). */
async function expectGone(tag: string): Promise<void> {
  const left = (lines: string[]): string[] => lines.filter((line) => line.startsWith(`sleep 3${tag}`) || line.includes(`loop-${tag}`))
  await waitFor(`the processes of ${tag} to end`, async () => left(await processes()).length === 0, 30_000)
}

describe('closing a streamed exec', () => {
  it('stops the command and its children in the container (core stream)', async () => {
    let output = ''
    const { handle } = await core.api.openStream('workspaces.execStream', { name, ...longCommand('1'), timeoutMs: 3_600_000 }, `stop-${id}`, {
      data: (text) => void (output += text),
      end: () => undefined
    })
    await waitFor('the command to start', () => output.includes('up\n'), 30_000)
    await expectRunning('1')
    handle.close()
    await expectGone('1')
  })

  it('stops the command when the client of the SSE exec route goes away', async () => {
    const client = new AbortController()
    const response = await fetch(`${api.base}/api/workspaces/${name}/exec`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.token}`, accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify({ ...longCommand('2'), timeoutMs: 3_600_000 }),
      signal: client.signal
    })
    expect(response.status).toBe(200)
    const reader = response.body!.getReader()
    let events = ''
    await waitFor('the first output event', async () => {
      const { value, done } = await reader.read()
      if (done) throw new Error(`the stream ended early: ${events}`)
      events += new TextDecoder().decode(value)
      return events.includes('"up\\n"')
    }, 30_000)
    await expectRunning('2')
    client.abort()
    await expectGone('2')
  })

  it('leaves alone what a command that finished left running', async () => {
    let ended = false
    const { handle } = await core.api.openStream('workspaces.execStream', { name, command: 'sh', args: ['-c', 'sleep 3331 > /dev/null 2>&1 &'] }, `done-${id}`, {
      data: () => undefined,
      end: () => void (ended = true)
    })
    await waitFor('the command to end', () => ended, 30_000)
    handle.close()
    // Longer than a stop's grace, after which its KILL would have come: the sleep it left is still there.
    await new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS + 1_000))
    expect(await processes()).toContain('sleep 3331')
  })
})
