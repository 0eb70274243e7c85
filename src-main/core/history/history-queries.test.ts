import { describe, expect, it } from 'vitest'
import { HistoryQueries } from './history-queries'
import { HistoryWriter } from './history-writer'
import { errorBody, RecordStream, testDatabases } from './testing/records'

const fresh = testDatabases()

function setup() {
  const { database } = fresh()
  return { writer: new HistoryWriter(database.sqlite), queries: new HistoryQueries(database.sqlite), database }
}

describe('HistoryQueries.logs', () => {
  it('pages both ways by id, oldest first, and says whether there is more', () => {
    const { writer, queries } = setup()
    writer.write('web', 'c1', new RecordStream().logs(10))
    const newest = queries.logs({ workspace: 'web', limit: 4 })
    expect(newest.lines.map((l) => l.line)).toEqual(['line 6', 'line 7', 'line 8', 'line 9'])
    expect(newest).toMatchObject({ moreBefore: true, moreAfter: false })
    const back = queries.logs({ workspace: 'web', limit: 4, before: newest.lines[0]!.id })
    expect(back.lines.map((l) => l.line)).toEqual(['line 2', 'line 3', 'line 4', 'line 5'])
    expect(back).toMatchObject({ moreBefore: true, moreAfter: true })
    const forward = queries.logs({ workspace: 'web', limit: 3, after: back.lines[0]!.id })
    expect(forward.lines.map((l) => l.line)).toEqual(['line 3', 'line 4', 'line 5'])
    expect(forward).toMatchObject({ moreBefore: true, moreAfter: true })
    const first = queries.logs({ workspace: 'web', limit: 5, before: back.lines[0]!.id })
    expect(first).toMatchObject({ moreBefore: false, moreAfter: true })
    expect(first.lines.map((l) => l.line)).toEqual(['line 0', 'line 1'])
  })

  it('filters by workspace, stream and time', () => {
    const { writer, queries } = setup()
    const web = new RecordStream()
    writer.write('web', 'c1', [web.log('out 0'), web.log('err 1', 'stderr'), web.log('out 2'), web.log('err 3', 'stderr')])
    writer.write('api', 'c2', new RecordStream('ffffffffffffffff').logs(2, 'api'))
    expect(queries.logs({ workspace: 'web', stream: 'stderr' }).lines.map((l) => l.line)).toEqual(['err 1', 'err 3'])
    expect(queries.logs({ workspace: 'api' }).lines.map((l) => l.line)).toEqual(['api 0', 'api 1'])
    expect(queries.logs({}).lines).toHaveLength(6)
    const window = queries.logs({ workspace: 'web', since: '2030-01-01T10:00:00.001Z', until: '2030-01-01T10:00:00.002Z' })
    expect(window.lines.map((l) => l.line)).toEqual(['err 1', 'out 2'])
    expect(queries.logs({ workspace: 'web', since: '2031-01-01T00:00:00Z' }).lines).toEqual([])
  })

  it('searches words through colour codes and punctuation, and returns where they matched', () => {
    const { writer, queries } = setup()
    const stream = new RecordStream()
    writer.write('web', 'c1', [
      stream.log('\x1b[31mError\x1b[39m: connect ECONNREFUSED 127.0.0.1:5432'),
      stream.log('all good'),
      stream.log('Failed to resolve import "./missing.js" from "src/main.js"'),
      stream.log('Errors everywhere')
    ])
    const colour = queries.logs({ workspace: 'web', query: 'error' })
    expect(colour.lines.map((l) => l.seq)).toEqual([0])
    expect(colour.lines[0]!.matches).toEqual([[5, 10]])
    const prefix = queries.logs({ workspace: 'web', query: 'error*' })
    expect(prefix.lines.map((l) => l.seq)).toEqual([0, 3])
    const path = queries.logs({ workspace: 'web', query: 'main.js' })
    expect(path.lines.map((l) => l.seq)).toEqual([2])
    const line = path.lines[0]!.line
    expect(path.lines[0]!.matches!.map(([a, b]) => line.slice(a, b))).toEqual(['main.js'])
    expect(queries.logs({ workspace: 'web', query: 'ECONNREFUSED OR good' }).lines.map((l) => l.seq)).toEqual([0, 1])
    expect(queries.logs({ workspace: 'web', query: '"all good" NOT bad' }).lines.map((l) => l.seq)).toEqual([1])
    expect(queries.logs({ workspace: 'web', query: '(((' }).lines).toEqual([])
  })

  it('pages search results by id too', () => {
    const { writer, queries } = setup()
    writer.write('web', 'c1', new RecordStream().logs(20, 'needle'))
    const page = queries.logs({ workspace: 'web', query: 'needle', limit: 5 })
    expect(page.lines.map((l) => l.line)).toEqual(['needle 15', 'needle 16', 'needle 17', 'needle 18', 'needle 19'])
    const back = queries.logs({ workspace: 'web', query: 'needle', limit: 5, before: page.lines[0]!.id })
    expect(back.lines.map((l) => l.line)).toEqual(['needle 10', 'needle 11', 'needle 12', 'needle 13', 'needle 14'])
    expect(back).toMatchObject({ moreBefore: true, moreAfter: true })
  })
})

describe('HistoryQueries errors, events and app status', () => {
  it('groups errors with the log line before the last occurrence, and clears unread', () => {
    const { writer, queries } = setup()
    const stream = new RecordStream()
    writer.write('web', 'c1', [stream.log('TypeError: boom'), stream.next(errorBody('TypeError: boom'))])
    const [group] = queries.errors('web')
    expect(group).toMatchObject({ workspace: 'web', message: 'TypeError: boom', count: 1, unread: true, file: '/app/app.js', line: 3, column: 7 })
    expect(queries.logs({ workspace: 'web' }).lines[0]!.id).toBe(group!.logId)
    expect(queries.appStatus('web')).toBeUndefined()
    queries.markSeen('web')
    expect(queries.errors('web')[0]!.unread).toBe(false)
    expect(queries.errors('other')).toEqual([])
  })

  it('names each workspace with history once, sorted, whatever its containers (a re-created one has two)', () => {
    const { writer, queries } = setup()
    expect(queries.workspaces()).toEqual([])
    writer.write('web', 'c1', new RecordStream().logs(2))
    writer.write('api', 'c2', new RecordStream('ffffffffffffffff').logs(1, 'api'))
    writer.write('web', 'c3', new RecordStream('eeeeeeeeeeeeeeee').logs(1))
    expect(queries.workspaces()).toEqual(['api', 'web'])
  })

  it('derives the app state from the newest state record (unhealthy included), restarts and the last exit', () => {
    const { writer, queries } = setup()
    const s = new RecordStream()
    writer.write('web', 'c1', [
      s.next({ type: 'state', from: null, to: 'idle', reason: 'monitor started' }),
      s.next({ type: 'state', from: 'idle', to: 'starting', reason: 'start requested', run: 1, pid: 30 }),
      s.next({ type: 'crash', exitCode: 1, signal: null, uptimeMs: 100, run: 1 }),
      s.next({ type: 'restart', attempt: 1, delayMs: 1000, reason: 'exited with code 1' }),
      s.next({ type: 'state', from: 'backing-off', to: 'ready', reason: 'port answered', run: 2 }),
      s.next(errorBody('boom'))
    ])
    expect(queries.appStatus('web')).toEqual({
      state: 'ready',
      since: '2030-01-01T10:00:00.004Z',
      restarts: 1,
      lastExit: { code: 1, signal: null, at: '2030-01-01T10:00:00.002Z' },
      unreadErrors: 1
    })
    writer.write('web', 'c1', [
      s.next({ type: 'health', ok: false, port: 3000, consecutiveFailures: 2, run: 2 }),
      s.next({ type: 'state', from: 'ready', to: 'unhealthy', reason: 'port 3000 did not answer 2 checks', run: 2 })
    ])
    expect(queries.appStatus('web')).toMatchObject({ state: 'unhealthy', since: '2030-01-01T10:00:00.007Z' })
    writer.write('web', 'c1', [s.next({ type: 'health', ok: true, port: 3000, consecutiveFailures: 0, run: 2 }), s.next({ type: 'state', from: 'unhealthy', to: 'ready', reason: 'answers again', run: 2 })])
    expect(queries.appStatus('web')).toMatchObject({ state: 'ready' })
    // The same name made again (a replaced create): the new container has said nothing yet, the old one's app state is not its.
    expect(queries.appStatus('web', 'c1')).toMatchObject({ state: 'ready', restarts: 1 })
    expect(queries.appStatus('web', 'c2')).toBeUndefined()
    const timeline = queries.events({ workspace: 'web' })
    expect(timeline.map((e) => e.kind)).toEqual(['state', 'state', 'crash', 'restart', 'state', 'health', 'state', 'health', 'state'])
    expect(timeline[2]).toMatchObject({ exitCode: 1, signal: null, run: 1 })
    expect(timeline[5]).toMatchObject({ ok: false })
    expect(queries.events({ workspace: 'web', before: timeline[2]!.id }).map((e) => e.id)).toEqual([timeline[0]!.id, timeline[1]!.id])
    expect(queries.events({ workspace: 'web', after: timeline[4]!.id, limit: 1 }).map((e) => e.id)).toEqual([timeline[5]!.id])
  })
})

describe('HistoryQueries.errorContext', () => {
  // Node's uncaught SyntaxError as `node --watch` prints it, the error record written after the group ended,
  // then the next run minutes later.
  function crashThenRestart() {
    const { writer, queries } = setup()
    const s = new RecordStream()
    const printed = ['file:///app/app.js:63', 'export const broken = {;', '                       ^', '', "\x1b[31mSyntaxError\x1b[39m: Unexpected token ';'", '    at compileSourceTextModule (node:internal/modules/esm/utils:346:16)', '    at ModuleLoader.moduleStrategy (node:internal/modules/esm/translators:110:18)', '', 'Node.js v22.23.5']
    writer.write('api', 'c1', [
      s.log('> node --watch server.js', 'stdout', 1),
      s.log('Listening on http://localhost:3000', 'stdout', 1),
      ...printed.map((line) => s.log(line, 'stderr', 1)),
      s.log("Failed running 'server.js'. Waiting for file changes before restarting...", 'stdout', 1),
      s.next({ ...errorBody("SyntaxError: Unexpected token ';'"), stack: printed.filter((l) => !l.startsWith('\x1b')).join('\n') }),
      s.log('> node --watch server.js', 'stdout', 2),
      s.log('Listening on http://localhost:3000', 'stdout', 2)
    ])
    return queries
  }

  it("anchors on the error's message line, not the line before the error record, and stays in its run", () => {
    const queries = crashThenRestart()
    const context = queries.errorContext('api', '0123456789abcdef', 3)!
    const at = context.lines.find((l) => l.id === context.at)
    expect(at?.line).toContain('SyntaxError')
    expect(context.lines.map((l) => l.line)).toEqual([
      'export const broken = {;',
      '                       ^',
      '',
      "\x1b[31mSyntaxError\x1b[39m: Unexpected token ';'",
      '    at compileSourceTextModule (node:internal/modules/esm/utils:346:16)',
      '    at ModuleLoader.moduleStrategy (node:internal/modules/esm/translators:110:18)',
      ''
    ])
    // Wide enough to reach the restart: the lines stop at the end of the error's run.
    const wide = queries.errorContext('api', '0123456789abcdef', 50)!
    expect(wide.lines.map((l) => l.run)).toEqual(wide.lines.map(() => 1))
    expect(wide.lines.at(-1)?.line).toMatch(/^Failed running/)
    expect(wide.lines[0]?.line).toBe('> node --watch server.js')
  })

  it("falls back to the stack's first line, then to the nearest line, and says undefined for an unknown group", () => {
    const { writer, queries } = setup()
    const s = new RecordStream()
    writer.write('web', 'c1', [
      s.log('npm error code E404'),
      s.log('npm error 404 Not Found - GET https://registry.npmjs.org/nope'),
      s.log('later line'),
      s.next({ ...errorBody('E404: 404 Not Found - GET https://registry.npmjs.org/nope'), stack: 'npm error code E404\nnpm error 404 Not Found' }),
      s.log('unrelated'),
      s.next(errorBody('never printed', 'fedcba9876543210'))
    ])
    const npm = queries.errorContext('web', '0123456789abcdef', 1)!
    expect(npm.lines.find((l) => l.id === npm.at)?.line).toBe('npm error code E404')
    const nearest = queries.errorContext('web', 'fedcba9876543210', 1)!
    expect(nearest.lines.find((l) => l.id === nearest.at)?.line).toBe('unrelated')
    expect(queries.errorContext('web', '0000000000000000')).toBeUndefined()
  })
})
