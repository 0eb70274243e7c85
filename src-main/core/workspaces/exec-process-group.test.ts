import { spawnSync } from 'node:child_process'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { groupLedCommand, LeaderLineTap, stopProcessGroup } from './exec-process-group'
import type { StreamingExec } from './captured-exec'

/** What a tap passes on, and the pid it found, after these chunks. */
async function tapped(chunks: string[]): Promise<{ passed: string; pid: number | undefined }> {
  const out = new PassThrough()
  let passed = ''
  out.on('data', (d: Buffer) => (passed += d.toString()))
  const tap = new LeaderLineTap(out)
  for (const chunk of chunks) tap.write(Buffer.from(chunk))
  await new Promise((resolve) => tap.end(resolve))
  return { passed, pid: await tap.pid }
}

describe('groupLedCommand and its first line', () => {
  it('prints the pid of the process that becomes the command (a real shell here)', () => {
    const [file, ...args] = groupLedCommand(['sh', '-c', 'echo "$$" >&2'])
    const { stderr } = spawnSync(file!, args, { encoding: 'utf8' })
    // The wrapper's own line, then the command's: the same process (exec keeps the pid).
    const [first, second] = stderr.trim().split('\n')
    expect(first).toMatch(/^\d+$/)
    expect(second).toBe(first)
  })

  it('takes the pid line off stderr, across chunk borders, and passes the rest on unchanged', async () => {
    expect(await tapped(['12', '34\nwarn', 'ing\n'])).toEqual({ passed: 'warning\n', pid: 1234 })
    expect(await tapped(['7\n'])).toEqual({ passed: '', pid: 7 })
  })

  it('finds no pid in what is not its line, and passes all of it on', async () => {
    expect(await tapped(['sh: not found\n'])).toEqual({ passed: 'sh: not found\n', pid: undefined })
    expect(await tapped(['x'.repeat(40)])).toEqual({ passed: 'x'.repeat(40), pid: undefined })
    expect(await tapped([])).toEqual({ passed: '', pid: undefined })
    expect(await tapped(['123'])).toEqual({ passed: '123', pid: undefined })
  })
})

describe('stopProcessGroup', () => {
  it('sends TERM to the group, then KILL to what is left after the grace, in the workspace', async () => {
    const calls: Array<{ name: string; cmd: string[] }> = []
    const exec: StreamingExec = async (name, cmd) => {
      calls.push({ name, cmd })
      return 1
    }
    await stopProcessGroup(exec, 'w', 42, 0)
    expect(calls).toEqual([
      { name: 'w', cmd: ['kill', '-TERM', '--', '-42'] },
      { name: 'w', cmd: ['kill', '-KILL', '--', '-42'] }
    ])
  })
})
