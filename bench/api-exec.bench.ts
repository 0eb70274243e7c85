import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type Dockerode from 'dockerode'
import { loadApiToken } from '../src-main/core/api-token'
import { Sandlot } from '../src-main/sdk'
import { startSandlotServer } from '../src-main/server/sandlot-server'
import { pairedRow, sleep, type Benchmark } from './harness'
import { openBenchCore, snapshotContainerDir } from './workspace-support'

/** Calls per measurement; the value is the median of their latencies. */
const CALLS = 40
const SETTLE_MS = 500

/**
 * `sandbox.commands.run('true')` through the REST API (SDK → HTTP on loopback → contract → engine exec with
 * output captured) against a raw dockerode exec of `true` as `node` in the same container, alternating order.
 * Issue 14's target: at most 1.5×.
 */
export const apiExec: Benchmark = {
  name: 'api-exec',
  description: "sandbox.commands.run('true') through the REST API and the SDK, against a raw dockerode exec in the same container",
  async run(ctx) {
    const snapshot = snapshotContainerDir()
    const rendererDir = mkdtempSync(join(tmpdir(), 'sandlot-bench-renderer-'))
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Sandlot</title>')
    const bench = await openBenchCore(snapshot.dir, { size: 0, maxConcurrentCreates: 1 }, ctx.log)
    const server = await startSandlotServer({ api: bench.core.api, host: '127.0.0.1', port: 0, rendererDir, token: () => loadApiToken(bench.core.paths.apiToken) })
    try {
      const sandlot = await Sandlot.connect({ url: server.url, token: loadApiToken(bench.core.paths.apiToken) })
      const sandbox = await sandlot.workspaces.create({ template: 'shell', name: `api-exec-${Date.now().toString(36)}` })
      const container = bench.docker.getContainer(sandbox.info.containerId)
      const api = async (): Promise<void> => {
        const result = await sandbox.commands.run('true')
        if (result.exitCode !== 0) throw new Error(`commands.run('true') exited ${result.exitCode}: ${result.stderr}`)
      }
      const raw = (): Promise<void> => rawExec(container)
      // Warm both paths (first connections, first exec) before measuring.
      for (let i = 0; i < 3; i++) await Promise.all([api(), raw()]).then(() => undefined)
      const pairs: { value: number; baseline: number }[] = []
      for (let round = 1; round <= ctx.rounds; round++) {
        await sleep(SETTLE_MS)
        const order = round % 2 === 1 ? [api, raw] : [raw, api]
        const medians = new Map<() => Promise<void>, number>()
        for (const run of order) medians.set(run, await medianLatency(run))
        pairs.push({ value: medians.get(api)!, baseline: medians.get(raw)! })
        ctx.log(`api-exec round ${round}: API ${medians.get(api)!.toFixed(1)} ms, raw ${medians.get(raw)!.toFixed(1)} ms`)
      }
      await sandbox.remove()
      return {
        rows: [pairedRow({ bench: 'api-exec', metric: "commands.run('true') round trip (median)", unit: 'ms', baselineName: 'raw dockerode exec' }, pairs)],
        notes: [
          `api-exec: ${CALLS} sequential calls per measurement; the API path runs the command through env and timeout inside the container (working folder, variables, the time limit) and captures its output; the raw exec runs \`true\` as node and reads its exit code. Target: at most 1.5×.`
        ]
      }
    } finally {
      await server.close()
      await bench.dispose()
      snapshot.remove()
      rmSync(rendererDir, { recursive: true, force: true })
    }
  }
}

async function medianLatency(run: () => Promise<void>): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < CALLS; i++) {
    const t0 = performance.now()
    await run()
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return times[times.length >> 1]!
}

/** The baseline: what any tool that drives Docker directly does for one command. */
async function rawExec(container: Dockerode.Container): Promise<void> {
  const exec = await container.exec({ Cmd: ['true'], User: 'node', AttachStdout: true, AttachStderr: true })
  const stream = await exec.start({ hijack: true, stdin: false })
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve)
    stream.on('close', resolve)
    stream.on('error', reject)
    stream.resume()
  })
  const info = await exec.inspect()
  if (info.ExitCode !== 0) throw new Error(`raw exec of true exited ${info.ExitCode}`)
}
