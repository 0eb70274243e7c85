import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TerminalInfo } from '../../src-main/core/contract'
import { openSandlotCore, type SandlotCore } from '../../src-main/core/sandlot-core'
import { testBaseImage } from '../support/core-image'
import { removeInstanceObjects } from '../support/instance-cleanup'
import { tempSandlotHome } from '../support/run-cli'
import { TerminalClient, type ClientStream } from '../support/terminal-client'
import { waitFor } from '../support/wait'

// Container names are engine-wide: a suffix keeps this run clear of other data folders' workspaces.
const run = randomBytes(3).toString('hex')
const workspace = `term-${run}`
/**
 * The end of a prompt: `$ ` for node, `# ` for root on the host, maybe followed by control sequences (an erase to
 * the end of the line after a wrapped one; a replayed screen's mode settings).
 */
const PROMPT = /[$#] (\x1b\[[?0-9;]*[A-Za-z])*$/

let home: string
let core: SandlotCore
let docker: Dockerode
let client: TerminalClient

beforeAll(async () => {
  home = tempSandlotHome()
  core = openSandlotCore({ home })
  docker = core.engine.connection.docker
  // No warm pool: this file needs one workspace, and a background refill would only compete with it.
  await core.api.call('settings.update', { pool: { size: 0 }, image: { base: testBaseImage() } })
  await core.api.call('workspaces.create', { template: 'shell', name: workspace })
  core.startBackgroundWork()
  client = new TerminalClient(core.api)
})

afterAll(async () => {
  client?.close()
  await removeInstanceObjects(docker, core.instanceId)
  core.close()
})

async function open(target: TerminalInfo['target'], size?: { cols: number; rows: number }): Promise<{ info: TerminalInfo; stream: ClientStream }> {
  const info = await client.call<TerminalInfo>('terminals.open', { target, ...(size ? { size } : {}) })
  const stream = await client.attach(info.id)
  await stream.waitFor(PROMPT)
  return { info, stream }
}

/** Runs a command line and waits for what it prints (the echoed command line itself is skipped). */
async function run_(stream: ClientStream, command: string, expected: RegExp): Promise<string> {
  const from = stream.text.length
  stream.write(`${command}\r`)
  await stream.waitFor(expected, { from: from + command.length })
  return stream.text.slice(from)
}

const inWorkspace = { kind: 'workspace' as const, workspace }

/** A TTY shell in the workspace marked as a terminal of `launch` (as the core marks its own), its connection dropped. */
async function orphanShell(launch: string): Promise<Dockerode.Exec> {
  const { containerId } = await core.workspaces.terminalTarget(workspace)
  const exec = await docker.getContainer(containerId).exec({
    Cmd: ['sh', '-c', 'echo $$ > "/tmp/.sandlot-terminal-$SANDLOT_TERMINAL"; exec bash -l'],
    Env: [`SANDLOT_TERMINAL=${launch}`],
    Tty: true,
    AttachStdin: true,
    AttachStdout: true,
    User: 'node'
  })
  const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as unknown as NodeJS.ReadWriteStream & { destroy(): void }
  await new Promise((resolve) => setTimeout(resolve, 300))
  stream.destroy()
  expect((await exec.inspect()).Running).toBe(true)
  return exec
}

describe('terminals on a real engine and a real pty', () => {
  it('runs an interactive login shell in the workspace, as node in /app with the workspace environment', async () => {
    const { info, stream } = await open(inWorkspace)
    expect(info).toMatchObject({ state: 'running', target: inWorkspace, revived: false })
    const out = await run_(stream, 'echo "$((6*7)) $(id -un) $(pwd) $TERM"', /42 node \/app xterm-256color/)
    expect(out).toMatch(/42 node \/app xterm-256color/)
    // Interactive: a program reading the terminal gets what is typed.
    stream.write('read answer; echo "got:$answer"\r')
    await new Promise((resolve) => setTimeout(resolve, 200))
    stream.write('typed\r')
    await stream.waitFor('got:typed')
    await client.call('terminals.close', { id: info.id })
  })

  it('names the workspace in the prompt of a terminal and of `sandlot shell`, not the container id', async () => {
    const { containerId } = await core.workspaces.terminalTarget(workspace)
    const { info, stream } = await open(inWorkspace)
    // The host name is still the container's (it cannot change once running): only the prompt says otherwise.
    await run_(stream, 'hostname', new RegExp(containerId.slice(0, 12)))
    // node@<workspace>:/app$ (the image's colours may sit between the parts).
    const named = new RegExp(`node@${workspace}(\\x1b\\[[0-9;]*m)*:`)
    await run_(stream, 'true', named)
    await client.call('terminals.close', { id: info.id })

    const shell = await core.workspaces.shell(workspace, { cols: 120, rows: 30 })
    let text = ''
    shell.stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')))
    await waitFor('the prompt of `sandlot shell`', () => PROMPT.test(text) || undefined, 30_000)
    expect(text).toMatch(named)
    expect(text).not.toContain(`@${containerId.slice(0, 12)}`)
    shell.stream.write('exit\r')
    expect(await shell.exit).toBe(0)
  })

  it('hands the workspace’s ready shell to its next terminal, prompt already printed, and starts another', async () => {
    const waitReady = async () => {
      for (let tries = 0; tries < 400 && !core.terminals.hasReadyShell(workspace); tries++) await new Promise((resolve) => setTimeout(resolve, 50))
      expect(core.terminals.hasReadyShell(workspace)).toBe(true)
    }
    await waitReady()
    const info = await client.call<TerminalInfo>('terminals.open', { target: inWorkspace, size: { cols: 101, rows: 31 } })
    expect(core.terminals.hasReadyShell(workspace)).toBe(false)
    const stream = await client.attach(info.id)
    // The prompt was printed before the terminal existed: it is on the screen the attach replays.
    await stream.waitFor(PROMPT)
    await run_(stream, 'stty size; echo "$(id -un) $(pwd)"', /31 101\r\nnode \/app/)
    await waitReady()
    await client.call('terminals.close', { id: info.id })
  })

  it('gives the shell the size it was resized to (stty size)', async () => {
    const { info, stream } = await open(inWorkspace, { cols: 90, rows: 20 })
    await run_(stream, 'stty size', /20 90/)
    const resized = await client.call<TerminalInfo>('terminals.resize', { id: info.id, cols: 132, rows: 41 })
    expect(resized).toMatchObject({ cols: 132, rows: 41 })
    await run_(stream, 'stty size', /41 132/)
    await client.call('terminals.close', { id: info.id })
  })

  it('shows a shell’s exit code and keeps its screen until it is closed', async () => {
    const { info, stream } = await open(inWorkspace)
    await run_(stream, 'echo before-exit', /before-exit\r\n/)
    stream.write('exit 7\r')
    const exited = await client.waitForChange(info.id, 'exited')
    expect(exited.terminal).toMatchObject({ state: 'exited', exitCode: 7 })
    await stream.waitFor('exited with code 7')
    const screen = await core.terminals.serialize(info.id)
    expect(screen).toContain('before-exit')
    expect(screen).toContain('exited with code 7')
    await client.call('terminals.close', { id: info.id })
    expect(stream.ended).toMatchObject({ exitCode: 7 })
  })

  it('runs a host shell on a real pty, with its exit code', async () => {
    const { info, stream } = await open({ kind: 'host' })
    await run_(stream, 'echo "host-$((40+2))"', /host-42/)
    stream.write('exit 3\r')
    expect((await client.waitForChange(info.id, 'exited')).terminal.exitCode).toBe(3)
    await client.call('terminals.close', { id: info.id })
  })

  it('passes multi-byte characters through whole, however the engine splits the stream', async () => {
    const { info, stream } = await open(inWorkspace)
    const from = stream.text.length
    // 90,000 four- and three-byte characters: the engine's reads end inside many of them.
    stream.write(`node -e "process.stdout.write('€😀ä'.repeat(30000) + 'END' + '\\n')"\r`)
    await stream.waitFor(/END\r\n/, { from: from + 60 })
    // What the command printed: after the echo of the command line (which has the characters once too).
    const out = stream.text.slice(stream.text.indexOf('\r\n', from))
    expect(out).not.toContain('\ufffd')
    expect(out.split('€😀ä').length - 1).toBe(30000)
    await client.call('terminals.close', { id: info.id })
  })

  it('replays the screen on re-attach, equal byte for byte to the mirror’s serialization', async () => {
    const { info, stream } = await open(inWorkspace)
    await run_(stream, 'printf "\\033[1;32mgreen\\033[0m and plain\\n"; echo second-line', /second-line\r\n.*[$#] (\x1b\[[?0-9;]*[A-Za-z])*$/s)
    stream.close()
    const again = new TerminalClient(core.api)
    try {
      const replay = await again.attach(info.id)
      await replay.waitFor('second-line')
      const screen = await core.terminals.serialize(info.id)
      expect(replay.frames[0]).toBe(screen)
      // Colours survive (the serializer writes SGR in its own order).
      expect(screen).toMatch(/\x1b\[(1;32|32;1)mgreen/)
      // And it is live: input from the new client reaches the same shell.
      await run_(replay, 'echo still-here', /still-here\r\n/)
    } finally {
      again.close()
    }
    await client.call('terminals.close', { id: info.id })
  })

  it('refuses a stream id of another client: its input never reaches the terminal', async () => {
    const { info, stream } = await open(inWorkspace)
    const intruder = new TerminalClient(core.api)
    try {
      intruder.session.receive({ type: 'stream.write', stream: stream.id, data: 'echo INTRUDER\r' })
      intruder.session.receive({ type: 'stream.close', stream: stream.id })
      expect(intruder.refusals.map((r) => r.error?.code)).toEqual(['NOT_FOUND', 'NOT_FOUND'])
      await run_(stream, 'echo owner', /owner\r\n/)
      expect(stream.text).not.toContain('INTRUDER')
      expect(stream.ended).toBeUndefined()
    } finally {
      intruder.close()
    }
    await client.call('terminals.close', { id: info.id })
  })

  it('stays within its flow-control bound in a 100 MB flood to a slow consumer, and stops promptly on Ctrl-C', async () => {
    const slow = new TerminalClient(core.api, { renderMs: 2 })
    try {
      const info = await slow.call<TerminalInfo>('terminals.open', { target: inWorkspace })
      const stream = await slow.attach(info.id)
      await stream.waitFor(PROMPT)
      const session = core.terminals.sessions().find((s) => s.id === info.id)!
      const heapBefore = process.memoryUsage().heapUsed
      let received = 0
      let mostBacklog = 0
      let mostHeap = 0
      const sample = setInterval(() => {
        mostBacklog = Math.max(mostBacklog, session.backlog())
        mostHeap = Math.max(mostHeap, process.memoryUsage().heapUsed - heapBefore)
      }, 5)
      const counted = stream.chars
      stream.write('head -c 100000000 /dev/zero | tr "\\0" "y"; echo FLOOD-DONE\r')
      // Let 3 MB arrive, then interrupt.
      while (received < 3_000_000) {
        await new Promise((resolve) => setTimeout(resolve, 20))
        received = stream.chars - counted
        stream.trim(4096)
      }
      const atInterrupt = stream.chars
      const interruptedAt = performance.now()
      stream.write('\x03')
      await stream.waitFor(/\^C.*[$#] (\x1b\[[?0-9;]*[A-Za-z])*$/s, { timeoutMs: 30_000 })
      const stoppedMs = performance.now() - interruptedAt
      clearInterval(sample)
      const afterInterrupt = stream.chars - atInterrupt
      // Only what was already on its way when Ctrl-C was typed (the pty, the engine's pipes, sockets, the core's
      // window) arrives after it: a few MB at most of the 97 MB still to come. The time is a generous cap only
      // (shared machine); the bench measures it.
      expect(afterInterrupt, `${afterInterrupt} characters after Ctrl-C, in ${Math.round(stoppedMs)} ms`).toBeLessThan(4_000_000)
      expect(stoppedMs).toBeLessThan(10_000)
      expect(stream.text).not.toContain('FLOOD-DONE')
      // The core never held more for its slowest consumer than the mirror's skip threshold (1 M characters waiting
      // for its parser) or a client's high watermark (100 k) and one read beyond it.
      expect(mostBacklog).toBeGreaterThan(0)
      expect(mostBacklog).toBeLessThan(1_000_000 + 100_000)
      expect(mostHeap).toBeLessThan(64 * 1024 * 1024)
      await slow.call('terminals.close', { id: info.id })
    } finally {
      slow.close()
    }
  })

  it('reconnects with a fresh shell below a marker after `docker restart` of the workspace container', async () => {
    const { info, stream } = await open(inWorkspace)
    await run_(stream, 'echo before-restart', /before-restart\r\n/)
    const { containerId } = await core.workspaces.terminalTarget(workspace)
    await docker.getContainer(containerId).restart({ t: 1 })
    await client.waitForChange(info.id, 'connecting')
    await client.waitForChange(info.id, 'reconnected')
    await stream.waitFor('reconnected: a new shell')
    await stream.waitFor(PROMPT, { from: stream.text.indexOf('reconnected: a new shell') })
    await run_(stream, 'echo "after-$((2+3))"', /after-5/)
    const screen = await core.terminals.serialize(info.id)
    const order = ['before-restart', 'container stopped', 'reconnected: a new shell', 'after-5'].map((s) => screen.indexOf(s))
    expect(order.every((at) => at >= 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    await client.call('terminals.close', { id: info.id })
  })

  it('holds 32 sessions at once, each with its own live shell', async () => {
    const opened: { info: TerminalInfo; stream: ClientStream }[] = []
    for (let i = 0; i < 32; i++) opened.push(await open(i % 4 === 3 ? { kind: 'host' } : inWorkspace))
    const ids = new Set(opened.map(({ info }) => info.id))
    expect((await client.call<TerminalInfo[]>('terminals.list', {})).filter((t) => ids.has(t.id) && t.state === 'running')).toHaveLength(32)
    await Promise.all(opened.map(({ stream }, i) => run_(stream, `echo "session-$((${i}+1000))"`, new RegExp(`session-${i + 1000}`))))
    for (const { info } of opened) await client.call('terminals.close', { id: info.id })
    expect((await client.call<TerminalInfo[]>('terminals.list', {})).filter((t) => ids.has(t.id))).toEqual([])
  })

  it('revives the layout and the last screens when a new core opens the same data folder', async () => {
    const kept = await open(inWorkspace)
    await run_(kept.stream, 'echo kept-on-screen', /kept-on-screen\r\n/)
    const host = await open({ kind: 'host' })
    await client.call('terminals.rename', { id: kept.info.id, name: 'renamed' })
    await client.call('terminals.reorder', { ids: [host.info.id, kept.info.id] })
    // A shell left running by a Sandlot process that is gone (it quit before hanging up: the engine keeps an exec
    // whose connection dropped): the next process hangs it up before its first shell in the container.
    const orphan = await orphanShell(`${hostname()}:999999999+0123456789abcdef`)
    const bystander = await orphanShell(`${hostname()}:${process.pid}+fedcba9876543210`)
    client.close()
    core.close()

    core = openSandlotCore({ home })
    core.startBackgroundWork()
    client = new TerminalClient(core.api)
    let list: TerminalInfo[] = []
    for (let tries = 0; tries < 200 && list.filter((t) => t.state === 'running').length < 2; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      list = await client.call<TerminalInfo[]>('terminals.list', {})
    }
    expect(list.map(({ id, name, position, target, revived, state }) => ({ id, name, position, target, revived, state }))).toEqual([
      { id: host.info.id, name: host.info.name, position: 0, target: { kind: 'host' }, revived: true, state: 'running' },
      { id: kept.info.id, name: 'renamed', position: 1, target: inWorkspace, revived: true, state: 'running' }
    ])
    const again = await client.attach(kept.info.id)
    await again.waitFor(PROMPT)
    const history = again.text.indexOf('kept-on-screen')
    expect(history).toBeGreaterThanOrEqual(0)
    expect(again.text.indexOf('restored after Sandlot restarted')).toBeGreaterThan(history)
    await run_(again, 'echo "fresh-$((1+1))"', /fresh-2/)
    expect((await orphan.inspect()).Running).toBe(false)
    // One of a Sandlot process that still runs (this one) is not touched.
    expect((await bystander.inspect()).Running).toBe(true)
    for (const { id } of list) await client.call('terminals.close', { id })
  })
})
