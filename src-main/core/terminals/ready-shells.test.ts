import { describe, expect, it } from 'vitest'
import { ReadyShells } from './ready-shells'
import type { ShellEvents, ShellLauncher } from './shell-process'

function launcher() {
  const launched: { events: ShellEvents; sizes: { cols: number; rows: number }[]; closed: boolean }[] = []
  const launch: ShellLauncher = async (size, events) => {
    const shell = { events, sizes: [size], closed: false }
    launched.push(shell)
    return { write: () => undefined, resize: (s) => void shell.sizes.push(s), pause: () => undefined, resume: () => undefined, close: () => void (shell.closed = true) }
  }
  return { launched, launch }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

function collector() {
  const got = { text: '', exit: undefined as unknown }
  const events: ShellEvents = { data: (chunk) => void (got.text += chunk.toString()), exit: (end) => void (got.exit = end) }
  return { got, events }
}

describe('ReadyShells', () => {
  it('hands a started shell over with the output it printed so far, at the new size, and starts the next one', async () => {
    const { launched, launch } = launcher()
    const ready = new ReadyShells(() => launch)
    ready.enable()
    ready.ensure('ws')
    await settle()
    launched[0]!.events.data(Buffer.from('prompt$ '))
    const take = ready.take('ws')!
    const { got, events } = collector()
    await take({ cols: 120, rows: 40 }, events)
    launched[0]!.events.data(Buffer.from('after'))
    expect(got.text).toBe('prompt$ after')
    expect(launched[0]!.sizes.at(-1)).toEqual({ cols: 120, rows: 40 })
    // The next one is started a moment later, at the size terminals are opened with now.
    await new Promise((resolve) => setTimeout(resolve, 1_100))
    expect(launched).toHaveLength(2)
    expect(launched[1]!.sizes).toEqual([{ cols: 120, rows: 40 }])
    expect(ready.has('ws')).toBe(true)
  })

  it('has nothing to hand over while not enabled, while still starting, or after its shell died', async () => {
    const { launched, launch } = launcher()
    const ready = new ReadyShells(() => launch)
    ready.ensure('ws')
    expect(ready.take('ws')).toBeUndefined()
    expect(launched).toHaveLength(0)
    ready.enable()
    ready.ensure('ws')
    expect(ready.take('ws')).toBeUndefined() // not started yet: the terminal starts its own
    await settle()
    launched[0]!.events.exit({ exitCode: null, lostContainer: true })
    expect(ready.take('ws')).toBeUndefined()
    expect(launched[0]!.closed).toBe(true)
  })

  it('does not keep a shell that prints more than a prompt before anyone looks, and closes all on close', async () => {
    const { launched, launch } = launcher()
    const ready = new ReadyShells(() => launch)
    ready.enable()
    ready.ensure('a')
    ready.ensure('b')
    await settle()
    launched[0]!.events.data(Buffer.alloc(70 * 1024))
    expect(ready.has('a')).toBe(false)
    ready.closeAll()
    expect(launched.map((s) => s.closed)).toEqual([true, true])
    ready.ensure('b')
    expect(launched).toHaveLength(2)
  })
})
