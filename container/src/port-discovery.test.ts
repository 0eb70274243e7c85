import { createServer } from 'node:net'
import { describe, expect, it, onTestFinished } from 'vitest'
import { parentPid, parseListeningSockets, pickAppPort, procPortFinder, processTree, socketInodes } from './port-discovery'

const TABLE = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 41234 1 0000000000000000 100 0 0 10 0
   1: 00000000:125C 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 41001 1 0000000000000000 100 0 0 10 0
   2: 0100007F:0BB8 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000  1000        0 41300 1 0000000000000000 20 4 30 10 -1
`

describe('port discovery', () => {
  it('reads the listening sockets of a /proc/net/tcp table, not established ones', () => {
    expect(parseListeningSockets(TABLE)).toEqual([
      { inode: '41234', port: 3000 },
      { inode: '41001', port: 4700 }
    ])
    const v6 = '   0: 00000000000000000000000001000000:1435 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 5150 1 0 100 0 0 10 0'
    expect(parseListeningSockets(v6)).toEqual([{ inode: '5150', port: 5173 }])
  })

  it('reads the parent pid after a command name holding spaces and parentheses', () => {
    expect(parentPid('123 (node (a) b) S 45 123 123 0 -1 4194560')).toBe(45)
  })

  it('takes socket inodes from link targets only', () => {
    expect([...socketInodes('socket:[12]\npipe:[13]\n/dev/null\nsocket:[14]\n')]).toEqual(['12', '14'])
  })

  it('finds the process tree and the port its processes listen on, leaving out the excluded one', async () => {
    expect(processTree(process.ppid)).toContain(process.pid)
    const a = createServer().listen(0, '127.0.0.1')
    const b = createServer().listen(0, '::')
    onTestFinished(() => void (a.close(), b.close()))
    await Promise.all([a, b].map((s) => new Promise((resolve) => s.once('listening', resolve))))
    const ports = [a, b].map((s) => (s.address() as { port: number }).port).sort((x, y) => x - y)
    const find = procPortFinder()
    expect(await find(process.pid, null)).toBe(ports[0])
    expect(await find(process.pid, ports[0]!)).toBe(ports[1])
  })

  it("picks the lowest of the app's ports, never the excluded one or a debugger's", () => {
    expect(pickAppPort([5173, 3000, 8080], null)).toBe(3000)
    expect(pickAppPort([3000, 4000], 3000)).toBe(4000)
    expect(pickAppPort([9229, 5678, 8000], null)).toBe(8000)
    expect(pickAppPort([9229], null)).toBeUndefined()
    expect(pickAppPort([], null)).toBeUndefined()
  })
})
