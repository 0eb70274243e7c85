import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { guardExecStart } from './exec-start-failure'

function sink() {
  const chunks: Buffer[] = []
  const stream = new Writable({ write: (chunk: Buffer, _e, done) => (chunks.push(chunk), done()) })
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') }
}

async function run(output: string[], exitCode: number) {
  const out = sink()
  const guard = guardExecStart(out.stream)
  for (const chunk of output) await new Promise<void>((resolve) => guard.stdout.write(Buffer.from(chunk), () => resolve()))
  return { failure: guard.failure(exitCode), stdout: out.text() }
}

// As Docker 20.10 (runc) sends them, on the exec's stdout, with exit code 126.
const notFound = 'OCI runtime exec failed: exec failed: unable to start container process: exec: "nonexistent-cmd-x": executable file not found in $PATH: unknown\r\n'
const noFile = 'OCI runtime exec failed: exec failed: unable to start container process: exec: "/app/nope": stat /app/nope: no such file or directory: unknown\r\n'
const folder = 'OCI runtime exec failed: exec failed: unable to start container process: exec: "/etc": permission denied: unknown\r\n'

describe('guardExecStart', () => {
  it('turns the engine’s “could not start” line into a shell’s answer and code, keeping it off stdout', async () => {
    expect(await run([notFound], 126)).toEqual({ stdout: '', failure: { exitCode: 127, message: 'nonexistent-cmd-x: command not found in the workspace (nothing by that name on its PATH)' } })
    expect(await run([noFile.slice(0, 10), noFile.slice(10)], 126)).toEqual({ stdout: '', failure: { exitCode: 127, message: '/app/nope: no such file in the workspace' } })
    expect((await run([folder], 126)).failure).toMatchObject({ exitCode: 126, message: expect.stringMatching(/^\/etc: cannot run it: permission denied/) })
  })

  it('passes a command’s own output through untouched, whatever its exit code', async () => {
    expect(await run(['hello\n', 'world\n'], 0)).toEqual({ stdout: 'hello\nworld\n', failure: undefined })
    expect(await run(['OCI', ' is a word\n'], 126)).toEqual({ stdout: 'OCI is a word\n', failure: undefined })
    // A command that printed the same words itself and exited otherwise keeps its output.
    expect(await run([notFound], 1)).toEqual({ stdout: notFound, failure: undefined })
  })
})
