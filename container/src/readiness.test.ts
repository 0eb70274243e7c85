import { createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { probeLocalPort } from './port-probe'
import { ProcessSpec } from './protocol'
import { DEFAULT_READY_PATTERN, ReadinessWatcher, readyPatternFor, type ReadySignal } from './readiness'
import { ManualClock } from './testing/manual-clock'
import { scriptedProbe, settle } from './testing/scripted-probe'

describe('probeLocalPort', () => {
  let server: Server | undefined
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())))

  it('is true while something listens on the port and false once it stops', async () => {
    server = createServer()
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    expect(await probeLocalPort(port, 1000)).toBe(true)
    await new Promise<void>((resolve) => server!.close(() => resolve()))
    server = undefined
    expect(await probeLocalPort(port, 1000)).toBe(false)
  })
})

describe('readyPatternFor', () => {
  it('uses the built-in patterns unless the spec names one or disables them', () => {
    expect(readyPatternFor(ProcessSpec.parse({ command: 'x' }))).toBe(DEFAULT_READY_PATTERN)
    expect(readyPatternFor(ProcessSpec.parse({ command: 'x', readyPattern: 'Compiled' }))?.test('compiled OK')).toBe(true)
    expect(readyPatternFor(ProcessSpec.parse({ command: 'x', readyPattern: null }))).toBeNull()
  })

  it('recognises Vite, Next.js and common servers, not their progress lines', () => {
    for (const line of ['  ➜  Local:   http://localhost:5173/', '  VITE v8.3.8  ready in 174 ms', ' ✓ Ready in 2.3s', 'ready - started server on 0.0.0.0:3000, url: http://localhost:3000', 'Server listening on port 8080', 'Server running at http://127.0.0.1:8000/']) {
      expect(DEFAULT_READY_PATTERN.test(line), line).toBe(true)
    }
    for (const line of ['Compiling...', 'vite v8.3.8 building for production...', '> next dev', 'Installing dependencies']) {
      expect(DEFAULT_READY_PATTERN.test(line), line).toBe(false)
    }
  })
})

describe('ReadinessWatcher', () => {
  it('polls the port until it answers, then reports once and stops polling', async () => {
    const clock = new ManualClock()
    const probe = scriptedProbe([false, false, true])
    const signals: ReadySignal[] = []
    const watcher = new ReadinessWatcher({ clock, probe, port: 4000, pattern: null, pollIntervalMs: 100, probeTimeoutMs: 50, onReady: (s) => signals.push(s) })
    watcher.start()
    for (let i = 0; i < 3; i++) {
      expect(signals).toEqual([])
      clock.advance(100)
      await settle()
    }
    expect(signals).toEqual([{ via: 'port', port: 4000 }])
    expect(probe.calls).toEqual([4000, 4000, 4000])
    expect(clock.pending()).toEqual([])
  })

  it('reports a matching output line (colours removed) and ignores the port afterwards', async () => {
    const clock = new ManualClock()
    const probe = scriptedProbe([true])
    const signals: ReadySignal[] = []
    const watcher = new ReadinessWatcher({ clock, probe, port: 4000, pattern: DEFAULT_READY_PATTERN, pollIntervalMs: 100, probeTimeoutMs: 50, onReady: (s) => signals.push(s) })
    watcher.start()
    watcher.line('building...')
    watcher.line('  \x1b[32m➜\x1b[39m  \x1b[1mLocal\x1b[22m:   http://localhost:4000/')
    watcher.line('  ➜  Local:   http://localhost:4000/')
    clock.advance(100)
    await settle()
    expect(signals).toEqual([{ via: 'pattern', line: '  ➜  Local:   http://localhost:4000/' }])
    expect(probe.calls).toEqual([])
  })
})
