import { describe, expect, it } from 'vitest'
import { FILE_CAP } from '../contract/files'
import type { StreamingExec } from './captured-exec'
import { fileHandlers } from './workspace-files'

/** An exec that prints `bytes` bytes of output in 64 KiB chunks, as the engine's stream would. */
function printing(bytes: number, text = 'x'): StreamingExec {
  return async (_name, _cmd, { stdout }) => {
    const chunk = Buffer.alloc(64 * 1024, text)
    for (let sent = 0; sent < bytes; sent += chunk.length) {
      await new Promise<void>((resolve) => (stdout.write(chunk) ? resolve() : stdout.once('drain', resolve)))
    }
    return 0
  }
}

describe('file operations', () => {
  it('answer a clean CONFLICT when the container prints more than the bound, without an unhandled stream error', async () => {
    const files = fileHandlers(printing(FILE_CAP * 2 + 128 * 1024))
    await expect(files['files.read']({ name: 'w', path: 'big.bin' })).rejects.toMatchObject({ code: 'CONFLICT', hint: expect.stringMatching(/base64/) })
    await expect(files['files.list']({ name: 'w', path: '.' })).rejects.toMatchObject({ code: 'CONFLICT' })
  })

  it('pass on an answer within the bound', async () => {
    const answer = JSON.stringify({ path: '/app/a.txt', size: 2, content: 'hi', encoding: 'utf8' })
    const files = fileHandlers(async (_name, _cmd, { stdout }) => (stdout.write(answer), 0))
    await expect(files['files.read']({ name: 'w', path: 'a.txt' })).resolves.toEqual({ path: '/app/a.txt', size: 2, content: 'hi', encoding: 'utf8' })
  })
})
