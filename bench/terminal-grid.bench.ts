import { existsSync } from 'node:fs'
import { chromium, type Page } from '@playwright/test'
import WebSocket from 'ws'
import { wsProtocols } from '../src-main/core/contract/ws-transport'
import { callCore } from '../tests/e2e/support/instance'
import { ServeProcess } from '../tests/e2e/support/serve'
import { BenchFailure, REPO } from './engine'
import { absoluteRow, pairedRow, type BenchContext, type Benchmark, type BenchResult, type Row } from './harness'

/**
 * The window under load (issue 9): 16 terminals in the grid of a 1080p Chromium page, each receiving a steady
 * stream of output, against the same page with the 16 terminals idle. Measures the page's long tasks (target:
 * none over 100 ms) and its frames per second. Host shells, so no container's speed is in the number: this is
 * the window's cost (xterm.js parsing and drawing, the bridge, acknowledgements), plus the core feeding it.
 */

const TERMINALS = 16
const VIEWPORT = { width: 1920, height: 1080 }
/** Each shell prints 5 lines of about 90 characters every 50 ms (about 9 KB/s per terminal, 144 KB/s in all). */
const STREAM =
  'f=$(mktemp -u); mkfifo "$f"; exec 9<>"$f"; rm "$f"; i=0; while :; do for j in 1 2 3 4 5; do i=$((i+1)); ' +
  'printf "\\033[32m%6d\\033[0m the quick brown fox jumps over the lazy dog \\033[2m%s\\033[0m 0123456789\\n" $i "$RANDOM$RANDOM"; ' +
  'done; read -t 0.05 -u 9; done'
export const CHROMIUM = '/usr/bin/chromium'
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run']

export interface PageWindow {
  fps: number
  longTasks: number
  longestMs: number
  over100: number
}

export const terminalGrid: Benchmark = {
  name: 'terminal-grid',
  description: `${TERMINALS} terminals in the grid of a 1080p Chromium page, each streaming: long tasks and frames per second, against the same grid idle`,
  async run(ctx) {
    if (!existsSync(`${REPO}/out/renderer/index.html`)) throw new BenchFailure('The app is not built: run `npm run build` first (the bench serves the built window).')
    const serve = await ServeProcess.start()
    const browser = await chromium.launch(existsSync(CHROMIUM) ? { executablePath: CHROMIUM, args: CHROMIUM_ARGS } : {})
    try {
      const ids: string[] = []
      for (let i = 0; i < TERMINALS; i++) ids.push(((await callCore(serve, 'terminals.open', { target: { kind: 'host' }, name: `stream-${i + 1}` })) as { id: string }).id)
      const page = await browser.newPage({ viewport: VIEWPORT })
      await page.goto(`${serve.info.url}#/terminals`)
      await page.locator('[data-testid="grid-cell"] [data-testid="cell-connection"]', { hasText: 'Live' }).nth(TERMINALS - 1).waitFor({ timeout: 60_000 })
      const layout = await page.getByTestId('terminal-grid').evaluate((grid) => ({
        columns: grid.getAttribute('data-columns'),
        fits: grid.scrollHeight <= grid.clientHeight,
        webgl: grid.querySelectorAll('[data-renderer="webgl"]').length
      }))
      return await measure(ctx, serve, page, ids, layout)
    } finally {
      await browser.close()
      await serve.dispose()
    }
  }
}

async function measure(ctx: BenchContext, serve: ServeProcess, page: Page, ids: string[], layout: { columns: string | null; fits: boolean; webgl: number }): Promise<BenchResult> {
  const pairs: { idle: PageWindow; streaming: PageWindow }[] = []
  for (let round = 1; round <= ctx.rounds; round++) {
    ctx.log(`terminal-grid: round ${round} of ${ctx.rounds}: idle, then streaming, ${ctx.windowSeconds} s each`)
    const idle = await pageWindow(page, ctx.windowSeconds)
    await typeInto(serve, ids, `${STREAM}\r`)
    // The streams reach their steady state within a second.
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    const streaming = await pageWindow(page, ctx.windowSeconds)
    await typeInto(serve, ids, '\x03')
    pairs.push({ idle, streaming })
  }
  const bench = 'terminal-grid'
  const rows: Row[] = [
    pairedRow({ bench, metric: `frames per second, ${TERMINALS} streaming`, unit: 'fps', baselineName: `${TERMINALS} idle` }, pairs.map((p) => ({ value: p.streaming.fps, baseline: p.idle.fps }))),
    absoluteRow({ bench, metric: 'long tasks over 100 ms while streaming (target 0)', unit: 'tasks' }, pairs.map((p) => p.streaming.over100)),
    absoluteRow({ bench, metric: 'longest task while streaming', unit: 'ms' }, pairs.map((p) => p.streaming.longestMs)),
    absoluteRow({ bench, metric: 'long tasks (over 50 ms) while streaming', unit: 'tasks' }, pairs.map((p) => p.streaming.longTasks))
  ]
  const notes = [
    `Each of the ${TERMINALS} host shells prints 5 coloured lines of about 90 characters every 50 ms; the page is ${VIEWPORT.width}×${VIEWPORT.height}. ` +
      `The grid was ${layout.columns} columns wide and ${layout.fits ? 'fitted the page without scrolling' : '**did not fit the page (it scrolled)**'}; ` +
      `${layout.webgl} of ${TERMINALS} terminals drew with WebGL (at most 12 take a context), the others with the DOM renderer. ` +
      `Chromium runs headless with \`--disable-gpu\` (WebGL in software), so frame rates are a floor for a desktop with a GPU.`
  ]
  return { rows, notes }
}

/**
 * Long tasks and frames over one window of the page's own clock. Plain text, not a function: tsx's transform
 * would add helpers to a function that do not exist in the page.
 */
const WINDOW_SCRIPT = `(ms) => new Promise((resolve) => {
  const durations = []
  const observer = new PerformanceObserver((list) => { for (const entry of list.getEntries()) durations.push(entry.duration) })
  observer.observe({ type: 'longtask', buffered: false })
  let frames = 0
  const start = performance.now()
  const tick = (now) => {
    frames += 1
    if (now - start < ms) { requestAnimationFrame(tick); return }
    observer.disconnect()
    resolve({
      fps: (frames * 1000) / (now - start),
      longTasks: durations.length,
      longestMs: durations.length === 0 ? 0 : Math.max(...durations),
      over100: durations.filter((duration) => duration > 100).length
    })
  }
  requestAnimationFrame(tick)
})`

export function pageWindow(page: Page, seconds: number): Promise<PageWindow> {
  return page.evaluate(`(${WINDOW_SCRIPT})(${seconds * 1000})`) as Promise<PageWindow>
}

/** Types into every terminal as another client: attach, write, detach. */
async function typeInto(serve: ServeProcess, ids: string[], text: string): Promise<void> {
  const socket = new WebSocket(serve.wsUrl, wsProtocols(serve.info.token), { origin: serve.origin })
  await new Promise((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
  })
  try {
    for (const [index, id] of ids.entries()) {
      const requestId = `bench-${index}`
      const stream = await new Promise<string>((resolve, reject) => {
        const onMessage = (data: WebSocket.RawData): void => {
          const frame = JSON.parse(data.toString()) as { type: string; id?: string; result?: { stream: string }; error?: { message: string } }
          if (frame.id !== requestId) return
          socket.off('message', onMessage)
          if (frame.type === 'result' && frame.result) resolve(frame.result.stream)
          else reject(new BenchFailure(`terminals.attach ${id} failed: ${frame.error?.message ?? frame.type}`))
        }
        socket.on('message', onMessage)
        socket.send(JSON.stringify({ type: 'request', id: requestId, method: 'terminals.attach', params: { id } }))
      })
      socket.send(JSON.stringify({ type: 'stream.write', stream, data: text }))
      socket.send(JSON.stringify({ type: 'stream.close', stream }))
    }
  } finally {
    socket.close()
  }
}
