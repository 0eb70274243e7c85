import { describe, expect, it } from 'vitest'
import { TerminalMirror } from './terminal-mirror'

describe('TerminalMirror', () => {
  it('replays colours, text and cursor through serialize once drained', async () => {
    const mirror = new TerminalMirror({ cols: 20, rows: 4 }, 10)
    mirror.write('\x1b[31mred\x1b[0m plain\r\nnext')
    const screen = await new Promise<string>((resolve) => mirror.drain(() => resolve(mirror.serialize())))
    expect(screen).toBe('\x1b[31mred\x1b[0m plain\r\nnext')
    mirror.dispose()
  })

  it('never queues much more than its skip threshold, however much is written at once, and keeps the end', async () => {
    const mirror = new TerminalMirror({ cols: 40, rows: 5 }, 1000)
    let most = 0
    for (let i = 0; i < 400; i++) {
      mirror.write(`${String(i).padStart(5, '0')} ${'y'.repeat(30)}\r\n`.repeat(500))
      most = Math.max(most, mirror.queued)
    }
    mirror.write('THE END')
    // 7.4 M characters written in one go: at most the threshold and one write wait.
    expect(most).toBeLessThan(1_000_000 + 20_000)
    const screen = await new Promise<string>((resolve) => mirror.drain(() => resolve(mirror.serialize())))
    expect(screen.endsWith('00399 ' + 'y'.repeat(30) + '\r\nTHE END')).toBe(true)
    mirror.dispose()
  })

  it('says where it skipped the middle of a flood', async () => {
    const mirror = new TerminalMirror({ cols: 40, rows: 5 }, 20_000)
    for (let i = 0; i < 56; i++) mirror.write(`${String(i).padStart(5, '0')} ${'y'.repeat(30)}\r\n`.repeat(500))
    const screen = await new Promise<string>((resolve) => mirror.drain(() => resolve(mirror.serialize())))
    expect(screen).toMatch(/\[… [0-9,]+ characters of a flood not kept in Sandlot's copy of this screen …\]/)
    expect(screen).not.toContain('00001 ')
    expect(screen).toContain('00055 ')
    mirror.dispose()
  })
})
