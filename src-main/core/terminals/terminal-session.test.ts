import { describe, expect, it } from 'vitest'
import type { ErrorInfo, TerminalChange } from '../contract'
import type { ShellEvents, ShellLauncher } from './shell-process'
import type { StreamSink } from '../api'
import { TerminalSession } from './terminal-session'
import { ContainerNotRunning } from './workspace-shell'

/** A shell the test drives: what it "prints", how it ends, and what the session did to it. */
function fakeShell() {
  const shell = { events: undefined as ShellEvents | undefined, written: [] as string[], paused: false, pauses: 0, closed: false, launches: 0 }
  const launch: ShellLauncher = async (_size, events) => {
    shell.launches += 1
    shell.events = events
    return {
      write: (data) => void shell.written.push(data),
      resize: () => undefined,
      pause: () => {
        shell.paused = true
        shell.pauses += 1
      },
      resume: () => void (shell.paused = false),
      close: () => void (shell.closed = true)
    }
  }
  return { shell, launch, print: (bytes: Buffer | string) => shell.events!.data(Buffer.from(bytes)) }
}

function sink() {
  const got = { data: [] as string[], ended: undefined as { exitCode: number | null; error?: ErrorInfo } | undefined }
  const target: StreamSink = {
    data: (text) => void got.data.push(text),
    end: (exitCode, error) => void (got.ended = { exitCode, ...(error ? { error } : {}) })
  }
  return { got, target, text: () => got.data.join('') }
}

function session(launch: ShellLauncher, extra: Partial<ConstructorParameters<typeof TerminalSession>[0]> = {}) {
  const changes: TerminalChange['kind'][] = []
  const terminal = new TerminalSession({
    id: 'tabcdef',
    name: 'one',
    target: { kind: 'workspace', workspace: 'ws' },
    position: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    size: { cols: 40, rows: 10 },
    scrollback: 100,
    launch,
    onChange: (kind) => changes.push(kind),
    watermarks: { high: 1000, low: 100 },
    batchMs: 5,
    ...extra
  })
  return { terminal, changes }
}

const tick = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms))

/** A started session with one client attached and its screen received. */
async function attached(extra: Partial<ConstructorParameters<typeof TerminalSession>[0]> = {}) {
  const { shell, launch, print } = fakeShell()
  const { terminal, changes } = session(launch, extra)
  await terminal.start()
  const client = sink()
  const attachment = terminal.attach(client.target)
  await tick()
  return { shell, print, terminal, changes, client, attachment }
}

describe('TerminalSession', () => {
  it('decodes UTF-8 across chunk borders: a character split between two reads arrives whole', async () => {
    const { print, terminal, client } = await attached()
    const bytes = Buffer.from('€ and 😀', 'utf8')
    for (let i = 0; i < bytes.length; i++) print(bytes.subarray(i, i + 1))
    await tick()
    expect(client.text()).toBe('€ and 😀')
    expect(client.text()).not.toContain('\ufffd')
    terminal.close()
  })

  it('batches a flood of output into a few frames, and passes a little output at once', async () => {
    const { print, terminal, client } = await attached()
    print('$ ')
    expect(client.got.data).toEqual(['$ '])
    const lines = Array.from({ length: 50 }, (_, i) => `${String(i).padStart(3, '0')} ${'.'.repeat(95)}\r\n`)
    for (const line of lines) print(line)
    await tick()
    expect(client.got.data.join('')).toBe('$ ' + lines.join(''))
    expect(client.got.data.length).toBeLessThan(20)
    terminal.close()
  })

  it('replays the mirror on attach: a later client starts from the same screen, then gets live output', async () => {
    const { launch, print } = fakeShell()
    const { terminal } = session(launch)
    await terminal.start()
    print('\x1b[31mred\x1b[0m prompt$ ')
    await tick()
    const screen = await terminal.serialize()
    expect(screen).toContain('red')
    const late = sink()
    terminal.attach(late.target)
    print('live')
    await tick()
    expect(late.got.data[0]).toBe(screen)
    expect(late.got.data.slice(1).join('')).toBe('live')
    terminal.close()
  })

  it('pauses the shell while a client is too far behind and resumes when it acknowledges', async () => {
    const { shell, print, terminal, attachment } = await attached()
    print('x'.repeat(1001))
    expect(shell.paused).toBe(true)
    await tick()
    attachment.ack(950)
    expect(shell.paused).toBe(false)
    terminal.close()
  })

  it('detaches a client that stops acknowledging, so the others go on', async () => {
    const { shell, launch, print } = fakeShell()
    const { terminal } = session(launch, { stallMs: 30 })
    await terminal.start()
    const frozen = sink()
    const live = sink()
    terminal.attach(frozen.target)
    const liveAttachment = terminal.attach(live.target)
    await tick()
    print('y'.repeat(2000))
    await tick(5)
    liveAttachment.ack(2000)
    expect(shell.paused).toBe(true)
    await tick(60)
    expect(frozen.got.ended).toMatchObject({ exitCode: null, error: { code: 'CONFLICT' } })
    expect(shell.paused).toBe(false)
    expect(live.got.ended).toBeUndefined()
    terminal.close()
  })

  it('never holds more than a bounded amount in a flood to a client that never acknowledges', async () => {
    const { shell, print, terminal } = await attached({ stallMs: 60_000 })
    // A producer that honours pause, as a paused socket or pty does: it writes only while not paused.
    let offered = 0
    for (let i = 0; i < 1000 && !shell.paused; i++) {
      print('z'.repeat(64))
      offered += 64
    }
    await tick()
    expect(shell.paused).toBe(true)
    // The high watermark, and at most half of it waiting in a batch, and one read.
    expect(offered).toBeLessThanOrEqual(1000 + 500 + 64)
    terminal.close()
  })

  it('shows the exit code of a shell that ends, and stays exited with its screen', async () => {
    const { shell, launch, print } = fakeShell()
    const { terminal, changes } = session(launch)
    await terminal.start()
    print('bye\r\n')
    shell.events!.exit({ exitCode: 3, lostContainer: false })
    const screen = await terminal.serialize()
    expect(screen).toContain('bye')
    expect(screen).toContain('exited with code 3')
    expect(terminal.info()).toMatchObject({ state: 'exited', exitCode: 3 })
    expect(changes).toEqual(['exited'])
    terminal.write('ignored')
    expect(shell.written).toEqual([])
    terminal.close()
  })

  it('says when the container went away, and reconnects with a fresh shell below a marker', async () => {
    const { shell, launch: fake, print } = fakeShell()
    let running = true
    const { terminal, changes } = session(async (size, events) => {
      if (!running) throw new ContainerNotRunning('c1')
      return fake(size, events)
    })
    await terminal.start()
    print('old screen\r\n')
    running = false
    shell.events!.exit({ exitCode: null, lostContainer: true })
    await tick()
    expect(terminal.state).toBe('connecting')
    running = true
    await terminal.reconnect()
    expect(terminal.state).toBe('running')
    expect(changes).toEqual(['connecting', 'reconnected'])
    const screen = await terminal.serialize()
    expect(screen.indexOf('old screen')).toBeLessThan(screen.indexOf('container stopped'))
    expect(screen.indexOf('container stopped')).toBeLessThan(screen.indexOf('reconnected'))
    terminal.close()
  })

  it('ends every attach with the exit code when it closes, and closes the shell', async () => {
    const { shell, launch } = fakeShell()
    const { terminal } = session(launch)
    await terminal.start()
    const client = sink()
    terminal.attach(client.target)
    shell.events!.exit({ exitCode: 0, lostContainer: false })
    terminal.close()
    expect(client.got.ended).toEqual({ exitCode: 0 })
  })

  it('shows a revived screen as history above a marker, with the new shell below', async () => {
    const { launch, print } = fakeShell()
    const { terminal } = session(launch, { history: 'from before\r\n' })
    await terminal.start()
    print('new prompt$ ')
    const screen = await terminal.serialize()
    expect(terminal.info().revived).toBe(true)
    expect(screen.indexOf('from before')).toBeLessThan(screen.indexOf('restored'))
    expect(screen.indexOf('restored')).toBeLessThan(screen.indexOf('new prompt$'))
    terminal.close()
  })
})
