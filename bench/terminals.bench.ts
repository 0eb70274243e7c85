import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import type { Duplex } from 'node:stream'
import type Dockerode from 'dockerode'
import type { TerminalInfo } from '../src-main/core/contract'
import { TerminalClient, type ClientStream } from '../tests/support/terminal-client'
import { BenchFailure } from './engine'
import { execInContainer } from '../src-main/core/workspaces/container-exec'
import { absoluteRow, collectGarbage, median, pairedRow, percentile, sleep, type BenchContext, type Benchmark, type BenchResult } from './harness'
import { ms, openBenchCore, rawTtyBash, SETTLE_MS, snapshotContainerDir, ttyExecShell, type BenchCore } from './workspace-support'

/**
 * Issue 9's terminal targets, each against a baseline measured in the same rounds: `cat` of 100 MB through a
 * Sandlot terminal to a consumer that acknowledges like the renderer (against the raw dockerode TTY exec stream
 * and `docker exec -t`), keystroke echo round trips through the core (against the raw exec), the first prompt
 * byte of a ready workspace's first terminal (against a raw TTY exec), and the core's memory with 32 sessions.
 */

const FILE = '/tmp/sandlot-bench-100mb.txt'
/** 75 MB of random bytes as base64 in 120-column lines: 101 MB of printable text. */
const MAKE_FILE = `head -c 75000000 /dev/urandom | base64 -w 120 > ${FILE} && wc -c < ${FILE}`
const ECHOES = 200
const PROMPT = /[$#] (\x1b\[[?0-9;]*[A-Za-z])*$/

interface Round {
  cat: { sandlot: number; raw: number; cli: number }
  echo: { sandlot: number[]; raw: number[] }
  firstPrompt: { sandlot: number; raw: number }
}

export const terminals: Benchmark = {
  name: 'terminals',
  description: 'terminal throughput (cat 100 MB), keystroke echo, first prompt of a ready workspace, core memory with 32 sessions',
  async run(ctx) {
    const snapshot = snapshotContainerDir()
    let bench: BenchCore | undefined
    let client: TerminalClient | undefined
    try {
      bench = await openBenchCore(snapshot.dir, { size: 0, maxConcurrentCreates: 1 }, ctx.log)
      const name = `term-bench-${randomBytes(3).toString('hex')}`
      await bench.core.api.call('workspaces.create', { template: 'shell', name })
      // Long-lived mode, as the app and `sandlot serve` run: ready shells, reconnects.
      bench.core.startBackgroundWork()
      client = new TerminalClient(bench.core.api)
      return await measure(ctx, bench, client, name)
    } finally {
      client?.close()
      await bench?.dispose()
      snapshot.remove()
    }
  }
}

async function measure(ctx: BenchContext, bench: BenchCore, client: TerminalClient, workspace: string): Promise<BenchResult> {
  const { containerId } = await bench.core.workspaces.terminalTarget(workspace)
  const container = bench.docker.getContainer(containerId)
  const made = await execInContainer(container, ['sh', '-c', MAKE_FILE])
  const size = Number(made.stdout.trim())
  if (!(size > 100_000_000)) throw new BenchFailure(`the test file has ${size} bytes, expected over 100 MB: ${made.stderr.trim()}`)
  const rounds: Round[] = []
  for (let round = 1; round <= ctx.rounds; round++) {
    // Three of each, interleaved: single openings are at the mercy of a busy engine.
    const prompts = { raw: [] as number[], sandlot: [] as number[] }
    for (let i = 0; i < 3; i++) {
      prompts.raw.push(await rawFirstPrompt(container))
      prompts.sandlot.push(await sandlotFirstPrompt(bench, client, workspace))
    }
    const firstPrompt = { raw: median(prompts.raw), sandlot: median(prompts.sandlot) }
    const terminal = await openTerminal(client, workspace)
    const odd = round % 2 === 1
    const cat = odd
      ? { raw: await rawCat(container), cli: await cliCat(containerId), sandlot: await sandlotCat(terminal.stream, round) }
      : { sandlot: await sandlotCat(terminal.stream, round), cli: await cliCat(containerId), raw: await rawCat(container) }
    // Typing is measured on a quiet terminal: the flood's end parsed into the mirror, its screen saved (2 s after
    // the last output), the garbage of 100 MB of strings (the in-process test client's too) collected.
    await sleep(5_000)
    collectGarbage()
    const echo = { sandlot: await sandlotEchoes(terminal.stream), raw: await rawEchoes(container) }
    await client.call('terminals.close', { id: terminal.info.id })
    rounds.push({ cat, echo, firstPrompt })
    ctx.log(
      `terminals: round ${round}/${ctx.rounds}: cat ${cat.sandlot.toFixed(0)} / raw ${cat.raw.toFixed(0)} / docker exec ${cat.cli.toFixed(0)} ms; ` +
        `echo p99 ${percentile(echo.sandlot, 99).toFixed(2)} / raw ${percentile(echo.raw, 99).toFixed(2)} ms; first prompt ${firstPrompt.sandlot} / raw ${firstPrompt.raw} ms`
    )
  }
  const memory = await memoryWith32(client, workspace)
  ctx.log(`terminals: 32 sessions: +${memory.heapMb.toFixed(1)} MB heap, +${memory.rssMb.toFixed(1)} MB RSS`)
  return report(rounds, size, memory)
}

async function openTerminal(client: TerminalClient, workspace: string): Promise<{ info: TerminalInfo; stream: ClientStream }> {
  const info = await client.call<TerminalInfo>('terminals.open', { target: { kind: 'workspace', workspace }, size: { cols: 120, rows: 30 } })
  const stream = await client.attach(info.id)
  await stream.waitFor(PROMPT)
  return { info, stream }
}

/** `cat` of the file in a Sandlot terminal: from the command to the line printed after it, every frame acknowledged. */
async function sandlotCat(stream: ClientStream, round: number): Promise<number> {
  const marker = 7000 + round
  const t0 = performance.now()
  stream.write(`cat ${FILE}; echo "FIN-$((${marker}+1))"\r`)
  // The text is trimmed as it comes (the client keeps what a waiter needs, not 100 MB).
  const trim = setInterval(() => stream.trim(256), 50)
  try {
    await stream.waitFor(`FIN-${marker + 1}`, { from: 0, timeoutMs: 300_000 })
  } finally {
    clearInterval(trim)
  }
  return performance.now() - t0
}

/** The raw dockerode TTY exec stream of `cat`, read as fast as it comes (a TTY, as a terminal's: not execInContainer's demuxed exec). */
async function rawCat(container: Dockerode.Container): Promise<number> {
  const t0 = performance.now()
  const exec = await container.exec({ Cmd: ['cat', FILE], Tty: true, AttachStdout: true, AttachStderr: true, User: 'node' })
  const stream = (await exec.start({ hijack: true, Tty: true })) as Duplex
  stream.resume()
  await new Promise<void>((resolve, reject) => {
    stream.once('end', resolve)
    stream.once('close', resolve)
    stream.once('error', reject)
  })
  return performance.now() - t0
}

/** `docker exec -t <container> cat <file>`, its output read from a pipe. */
function cliCat(containerId: string): Promise<number> {
  const t0 = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn('docker', ['exec', '-t', '-u', 'node', containerId, 'cat', FILE], { stdio: ['ignore', 'pipe', 'inherit'] })
    child.stdout.on('data', () => undefined)
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new BenchFailure(`docker exec -t cat exited with ${code}`))))
  })
}

/** Round trips of single keystrokes (a letter, then backspace) through the core: write to the echo reaching the client. */
async function sandlotEchoes(stream: ClientStream): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < ECHOES; i++) {
    const key = i % 2 === 0 ? 'q' : '\x7f'
    const from = stream.text.length
    const t0 = performance.now()
    stream.write(key)
    await stream.waitFor(key === 'q' ? 'q' : '\b', { from, timeoutMs: 10_000 })
    times.push(performance.now() - t0)
  }
  return times
}

/** The same keystrokes straight into a raw TTY exec of bash. */
async function rawEchoes(container: Dockerode.Container): Promise<number[]> {
  const stream = await rawTtyBash(container)
  let text = ''
  let waiter: (() => void) | undefined
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8')
    waiter?.()
  })
  const waitFor = (needle: string, from: number) =>
    new Promise<void>((resolve) => {
      waiter = () => {
        if (text.indexOf(needle, from) >= 0) resolve()
      }
      waiter()
    })
  await waitFor('$ ', 0)
  const times: number[] = []
  try {
    for (let i = 0; i < ECHOES; i++) {
      const key = i % 2 === 0 ? 'q' : '\x7f'
      const from = text.length
      const t0 = performance.now()
      stream.write(key)
      await waitFor(key === 'q' ? 'q' : '\b', from)
      times.push(performance.now() - t0)
    }
  } finally {
    stream.write('\x03exit\r')
    stream.destroy()
  }
  return times
}

/** terminals.open of a workspace whose ready shell is up, then attach: to the first data that holds the prompt. */
async function sandlotFirstPrompt(bench: BenchCore, client: TerminalClient, workspace: string): Promise<number> {
  for (let tries = 0; !bench.core.terminals.hasReadyShell(workspace); tries++) {
    if (tries > 600) throw new BenchFailure(`no ready shell for ${workspace} after 30 s`)
    await sleep(50)
  }
  await sleep(SETTLE_MS)
  const t0 = performance.now()
  const info = await client.call<TerminalInfo>('terminals.open', { target: { kind: 'workspace', workspace }, size: { cols: 120, rows: 30 } })
  const stream = await client.attach(info.id)
  await stream.waitFor(PROMPT)
  const elapsed = performance.now() - t0
  await client.call('terminals.close', { id: info.id })
  return ms(0, elapsed)
}

/** A raw TTY exec of bash -i to its prompt (bench/workspace-support's), as user node would get it without Sandlot. */
async function rawFirstPrompt(container: Dockerode.Container): Promise<number> {
  await sleep(SETTLE_MS)
  const t0 = performance.now()
  const shell = await ttyExecShell(container)
  return ms(t0, shell.promptAt)
}

/** The core's memory (this process) with 32 workspace and host sessions open, against none. */
async function memoryWith32(client: TerminalClient, workspace: string): Promise<{ heapMb: number; rssMb: number }> {
  collectGarbage()
  await sleep(500)
  const before = process.memoryUsage()
  const opened: string[] = []
  for (let i = 0; i < 32; i++) {
    const info = await client.call<TerminalInfo>('terminals.open', { target: i % 4 === 3 ? { kind: 'host' } : { kind: 'workspace', workspace }, size: { cols: 120, rows: 30 } })
    opened.push(info.id)
    const stream = await client.attach(info.id)
    await stream.waitFor(PROMPT)
    // Some screen in each: a directory listing and a few hundred lines of scrollback.
    stream.write('ls -la /; seq 1 300\r')
    await stream.waitFor('\r\n300\r\n')
  }
  collectGarbage()
  await sleep(500)
  const after = process.memoryUsage()
  for (const id of opened) await client.call('terminals.close', { id })
  return { heapMb: (after.heapUsed - before.heapUsed) / 2 ** 20, rssMb: (after.rss - before.rss) / 2 ** 20 }
}

function report(rounds: readonly Round[], bytes: number, memory: { heapMb: number; rssMb: number }): BenchResult {
  const bench = 'terminals'
  const mbps = (msTaken: number) => bytes / 2 ** 20 / (msTaken / 1000)
  const rows = [
    pairedRow(
      { bench, metric: '`cat` of 100 MB through a Sandlot terminal (acked like the renderer)', unit: 'MiB/s', baselineName: 'raw dockerode TTY exec stream' },
      rounds.map((r) => ({ value: mbps(r.cat.sandlot), baseline: mbps(r.cat.raw) }))
    ),
    pairedRow(
      { bench, metric: '`cat` of 100 MB through a Sandlot terminal', unit: 'MiB/s', baselineName: '`docker exec -t` (to a pipe)' },
      rounds.map((r) => ({ value: mbps(r.cat.sandlot), baseline: mbps(r.cat.cli) }))
    ),
    pairedRow(
      { bench, metric: 'keystroke echo round trip p50 through the core', unit: 'ms', baselineName: 'raw TTY exec p50' },
      rounds.map((r) => ({ value: percentile(r.echo.sandlot, 50), baseline: percentile(r.echo.raw, 50) }))
    ),
    pairedRow(
      { bench, metric: 'keystroke echo round trip p99 through the core', unit: 'ms', baselineName: 'raw TTY exec p99' },
      rounds.map((r) => ({ value: percentile(r.echo.sandlot, 99), baseline: percentile(r.echo.raw, 99) }))
    ),
    pairedRow(
      { bench, metric: 'first prompt of a ready workspace’s first terminal (open + attach, ready shell)', unit: 'ms', baselineName: 'raw TTY exec of bash -i to its prompt' },
      rounds.map((r) => ({ value: r.firstPrompt.sandlot, baseline: r.firstPrompt.raw }))
    ),
    absoluteRow({ bench, metric: 'core heap growth with 32 open sessions (24 workspace, 8 host)', unit: 'MB' }, [memory.heapMb]),
    absoluteRow({ bench, metric: 'core RSS growth with 32 open sessions (24 workspace, 8 host)', unit: 'MB' }, [memory.rssMb])
  ]
  const notes = [
    `Each of the ${rounds.length} rounds, in one workspace of the \`shell\` template (core in long-lived mode): the first prompt, three times (raw exec, then \`terminals.open\` + \`terminals.attach\` handed the ready shell, ${SETTLE_MS / 1000} s apart; the median of the three); ` +
      `then \`cat\` of a ${(bytes / 1e6).toFixed(0)} MB text file (base64 lines) three ways in alternating order: through a Sandlot terminal (an ApiSession client acknowledging every 5,000 characters as it receives them, as the renderer does after xterm.js parses), ` +
      'the raw dockerode TTY exec stream read as fast as it comes, and `docker exec -t` to a pipe; MiB/s is the file size over the time to the end of the output. ' +
      `Then, 5 s later (the terminal quiet and its screen saved), ${ECHOES} keystrokes (a letter, then backspace) each timed from the write to its echo reaching the client, through the core and into a raw \`bash -i\` exec. ` +
      `Echo medians over all rounds: Sandlot ${median(rounds.flatMap((r) => r.echo.sandlot)).toFixed(2)} ms, raw ${median(rounds.flatMap((r) => r.echo.raw)).toFixed(2)} ms.`,
    'Memory: this process (the core and the test client) before and after opening 32 terminals and printing a listing and 300 lines in each, each after a full garbage collection. ' +
      'Echoes are measured after one too, on both sides, so that neither pays for the garbage of the `cat` rounds.'
  ]
  return { rows, notes }
}
