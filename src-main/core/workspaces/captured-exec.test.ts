import { describe, expect, it } from 'vitest'
import { EXEC_OUTPUT_CAP } from '../contract/exec'
import { runCaptured, workingFolder, type ExecPlace, type StreamingExec } from './captured-exec'

/** A fake streaming exec: records the command line and writes what it is told to. */
function fakeExec(out: { stdout?: Buffer; stderr?: string; exitCode?: number }, seen: { cmd?: string[]; place?: ExecPlace; stdin?: string }): StreamingExec {
  return async (_name, cmd, io, place) => {
    seen.cmd = cmd
    seen.place = place
    if (io.stdin) {
      const chunks: Buffer[] = []
      for await (const chunk of io.stdin as AsyncIterable<Buffer>) chunks.push(chunk)
      seen.stdin = Buffer.concat(chunks).toString('utf8')
    }
    if (out.stdout) io.stdout.write(out.stdout)
    if (out.stderr) io.stderr.write(out.stderr)
    return out.exitCode ?? 0
  }
}

describe('workspaces.exec (captured)', () => {
  it('runs the command through timeout in its folder with its variables, passing stdin', async () => {
    const seen: { cmd?: string[]; place?: ExecPlace; stdin?: string } = {}
    const result = await runCaptured(fakeExec({ stdout: Buffer.from('hi\n'), stderr: 'warn\n', exitCode: 3 }, seen), {
      name: 'w',
      command: 'node',
      args: ['-e', 'x'],
      env: { A: '1' },
      cwd: 'src',
      timeoutMs: 1500,
      stdin: 'input'
    })
    expect(seen.cmd).toEqual(['timeout', '-k', '5', '1.5s', 'node', '-e', 'x'])
    expect(seen.place).toEqual({ workingDir: '/app/src', env: { A: '1' } })
    expect(seen.stdin).toBe('input')
    expect(result).toEqual({ exitCode: 3, stdout: 'hi\n', stderr: 'warn\n', stdoutTruncated: false, stderrTruncated: false, timedOut: false })
  })

  it('keeps only the start of a long output and says it was cut', async () => {
    const result = await runCaptured(fakeExec({ stdout: Buffer.alloc(EXEC_OUTPUT_CAP + 10, 'a') }, {}), { name: 'w', command: 'yes' })
    expect(result.stdout.length).toBe(EXEC_OUTPUT_CAP)
    expect(result.stdoutTruncated).toBe(true)
  })

  it('counts 124 as a timeout only when the run lasted the timeout', async () => {
    const result = await runCaptured(fakeExec({ exitCode: 124 }, {}), { name: 'w', command: 'sh', timeoutMs: 60_000 })
    expect(result.timedOut).toBe(false)
  })

  it('keeps the working folder inside /app', () => {
    expect(workingFolder(undefined)).toBe('/app')
    expect(workingFolder('/app/a/../b')).toBe('/app/b')
    expect(() => workingFolder('..')).toThrow(/outside \/app/)
    expect(() => workingFolder('/etc')).toThrow(/outside \/app/)
    expect(() => workingFolder('/app2')).toThrow(/outside \/app/)
  })
})
