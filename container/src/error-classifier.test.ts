import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { stripAnsi } from './ansi'
import { classifyGroup, type Classification } from './error-classifier'
import { fingerprint } from './fingerprint'
import { LineGrouper } from './line-grouper'
import { ManualClock } from './testing/manual-clock'

// The fixtures are real output of tsc, node, npm and vite on broken inputs: container/fixtures/capture.sh.
const FIXTURES = join(import.meta.dirname, '../fixtures')

type Found = Classification & { fingerprint: string }

/** Runs text through the monitor's grouping and classification, as if an app printed it. */
function classifyText(text: string): Found[] {
  const found: Found[] = []
  const grouper = new LineGrouper({
    clock: new ManualClock(),
    flushMs: 150,
    maxLines: 200,
    onGroup: (lines) => {
      const c = classifyGroup(lines)
      if (c) found.push({ ...c, fingerprint: fingerprint(c.category, c.message, c.file) })
    }
  })
  for (const line of text.replace(/\n$/, '').split('\n')) grouper.push(stripAnsi(line))
  grouper.flush()
  return found
}

const fixture = (name: string) => classifyText(readFileSync(join(FIXTURES, `${name}.txt`), 'utf8'))
const only = (name: string) => {
  const found = fixture(name)
  expect(found, `errors found in ${name}`).toHaveLength(1)
  return found[0]!
}

describe('classification of captured tool output', () => {
  it('tsc: one typescript error per diagnostic, with file, line and column, plain or pretty', () => {
    const expected = [
      { category: 'typescript', severity: 'error', file: 'src/imports.ts', line: 1, column: 25, message: "TS2307: Cannot find module './does-not-exist' or its corresponding type declarations." },
      { category: 'typescript', severity: 'error', file: 'src/types.ts', line: 1, column: 14, message: "TS2322: Type 'string' is not assignable to type 'number'." },
      { category: 'typescript', severity: 'error', file: 'src/types.ts', line: 3, column: 10, message: "TS2552: Cannot find name 'nam'. Did you mean 'name'?" }
    ]
    const plain = fixture('tsc-errors')
    const pretty = fixture('tsc-errors-pretty')
    expect(plain).toMatchObject(expected)
    expect(pretty).toMatchObject(expected)
    expect(pretty.map((e) => e.fingerprint)).toEqual(plain.map((e) => e.fingerprint))
  })

  it('node: syntax errors point at the file and line of the preamble (CommonJS with the caret column, ESM)', () => {
    expect(only('node-syntax-error')).toMatchObject({
      category: 'syntax',
      severity: 'error',
      message: "SyntaxError: Unexpected identifier 'a'",
      file: expect.stringMatching(/\/node\/syntax\.cjs$/),
      line: 3,
      column: 10
    })
    expect(only('node-syntax-error-esm')).toMatchObject({
      category: 'syntax',
      message: 'SyntaxError: Unexpected end of input',
      file: expect.stringMatching(/^\/.*\/node\/syntax\.mjs$/),
      line: 3
    })
  })

  it('node: an uncaught exception keeps its stack and points at the throwing frame', () => {
    const error = only('node-throw-1')
    expect(error).toMatchObject({
      category: 'runtime',
      severity: 'error',
      message: expect.stringMatching(/^TypeError: cannot read config at \/app\/config-\d+\.json: \d+$/),
      file: expect.stringMatching(/\/throw-1\/app\.js$/),
      line: 2,
      column: 35
    })
    expect(error.stack?.split('\n')).toEqual(expect.arrayContaining([expect.stringMatching(/^ {4}at loadConfig /), expect.stringMatching(/^Node\.js v\d+/)]))
  })

  it('node: missing modules, CommonJS and ESM', () => {
    expect(only('node-module-not-found')).toMatchObject({
      category: 'module-not-found',
      message: "Error: Cannot find module 'left-pad-sandlot-missing'",
      file: expect.stringMatching(/\/node\/missing\.cjs$/),
      line: 1,
      column: 13
    })
    expect(only('node-module-not-found-esm')).toMatchObject({
      category: 'module-not-found',
      message: expect.stringMatching(/^Error \[ERR_MODULE_NOT_FOUND\]: Cannot find package 'left-pad-sandlot-missing' imported from /),
      file: expect.stringMatching(/\/node\/missing\.mjs$/)
    })
  })

  it('node: port in use, connection refused, heap exhausted', () => {
    expect(only('node-eaddrinuse-1')).toMatchObject({ category: 'port-in-use', severity: 'error', message: expect.stringMatching(/^Error: listen EADDRINUSE: address already in use 127\.0\.0\.1:\d+$/) })
    expect(only('node-econnrefused')).toMatchObject({ category: 'network', severity: 'error', message: 'Error: connect ECONNREFUSED 127.0.0.1:1' })
    expect(only('node-heap-oom')).toMatchObject({
      category: 'out-of-memory',
      severity: 'fatal',
      message: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory'
    })
  })

  it('npm: a failed install is one dependency-install error naming the code and the package', () => {
    const errors = fixture('npm-install-missing').filter((e) => e.severity === 'error')
    expect(errors).toEqual([
      expect.objectContaining({
        category: 'dependency-install',
        message: 'E404: 404 Not Found - GET https://registry.npmjs.org/this-package-does-not-exist-sandlot-xyz'
      })
    ])
    expect(errors[0]!.stack).toContain("The requested resource 'this-package-does-not-exist-sandlot-xyz@*' could not be found")
  })

  it('vite dev server: unresolved imports and a transform error, the same import error counted once', () => {
    const found = fixture('vite-dev-errors')
    const mainImport = found.filter((e) => e.message.includes('"./missing-helper.js"'))
    expect(mainImport).toHaveLength(2) // "Internal server error" and "Pre-transform error" for one request
    expect(new Set(mainImport.map((e) => e.fingerprint)).size).toBe(1)
    expect(mainImport[0]).toMatchObject({ category: 'module-not-found', file: expect.stringMatching(/\/vite\/src\/main\.js$/), line: 1, column: 24 })
    expect(found.find((e) => e.message.includes('not-installed-sandlot-pkg'))).toMatchObject({
      category: 'module-not-found',
      file: expect.stringMatching(/\/vite\/src\/bare\.js$/)
    })
    expect(found.find((e) => e.category === 'syntax')).toMatchObject({
      message: '[PARSE_ERROR] Expected `}` but found `EOF`',
      file: 'src/broken.ts',
      line: 1,
      column: 25
    })
    expect(found).toHaveLength(4)
  })

  it('vite build: the rolldown error with its code frame location', () => {
    expect(only('vite-build-missing-import')).toMatchObject({
      category: 'module-not-found',
      message: "[UNRESOLVED_IMPORT] Could not resolve './missing-helper.js' in src/main.js",
      file: 'src/main.js',
      line: 1,
      column: 24
    })
    expect(only('vite-build-syntax-error')).toMatchObject({ category: 'syntax', message: '[PARSE_ERROR] Unexpected token', file: 'src/syntax.js', line: 2, column: 8 })
    expect(only('vite-port-in-use')).toMatchObject({ category: 'port-in-use', severity: 'error', message: expect.stringMatching(/^Error: Port \d+ is already in use$/) })
  })

  it('next dev: module not found, an swc syntax error and a server-side exception, each repeat counted once', () => {
    const missing = fixture('next-dev-module-not-found')
    expect(missing).toHaveLength(3) // Next reports it three times for one request
    expect(new Set(missing.map((e) => e.fingerprint)).size).toBe(1)
    expect(missing[0]).toMatchObject({ category: 'module-not-found', message: "Module not found: Can't resolve './missing-helper'", file: './app/missing/page.js', line: 1, column: 1 })
    const syntax = fixture('next-dev-syntax-error')
    expect(new Set(syntax.map((e) => e.fingerprint)).size).toBe(1)
    expect(syntax[0]).toMatchObject({ category: 'syntax', message: "Error: x Expected '</', got '}'", file: expect.stringMatching(/\/next\/app\/syntax\/page\.js$/), line: 1 })
    expect(only('next-dev-runtime-error')).toMatchObject({ category: 'runtime', message: 'TypeError: cannot read the session', file: 'app/throws/page.js', line: 1, column: 40 })
  })

  it('gives the same error the same fingerprint across paths, line numbers, pids, times and ports', () => {
    const [first, second] = [only('node-throw-1'), only('node-throw-2')]
    expect(first.message).not.toBe(second.message)
    expect(first.line).not.toBe(second.line)
    expect(first.fingerprint).toBe(second.fingerprint)
    const [portA, portB] = [only('node-eaddrinuse-1'), only('node-eaddrinuse-2')]
    expect(portA.message).not.toBe(portB.message)
    expect(portA.fingerprint).toBe(portB.fingerprint)
    // …while different errors stay apart.
    expect(new Set([first, portA, only('node-econnrefused'), only('node-module-not-found')].map((e) => e.fingerprint)).size).toBe(4)
  })
})

describe('classification of other output', () => {
  it('leaves ordinary output alone', () => {
    const text = [
      '',
      '  VITE v8.3.8  ready in 174 ms',
      '',
      '  ➜  Local:   http://localhost:5173/',
      'GET /api/users 200 in 12ms',
      'Found 0 errors. Watching for file changes.',
      'compiled successfully, 0 errors, 0 warnings',
      '{"level":30,"msg":"request completed","err":null}',
      '{ a: 1 }'
    ].join('\n')
    expect(classifyText(text)).toEqual([])
  })

  it('reads error-level JSON log lines (pino, bunyan, winston) with their stack', () => {
    const pino = JSON.stringify({
      level: 50,
      time: 1700000000000,
      msg: 'request failed',
      err: { type: 'TypeError', message: "Cannot read properties of undefined (reading 'id')", stack: "TypeError: Cannot read properties of undefined (reading 'id')\n    at handler (/app/src/routes/users.js:14:22)\n    at Layer.handle (/app/node_modules/express/lib/router/layer.js:95:5)" }
    })
    expect(classifyText(pino)).toEqual([
      expect.objectContaining({ category: 'runtime', severity: 'error', message: 'request failed', file: '/app/src/routes/users.js', line: 14, column: 22, stack: expect.stringContaining('at handler') })
    ])
    expect(classifyText(JSON.stringify({ level: 'error', message: 'connect ECONNREFUSED 127.0.0.1:5432' }))).toMatchObject([{ category: 'network', severity: 'error' }])
    expect(classifyText(JSON.stringify({ level: 60, msg: 'listen failed', err: { code: 'EADDRINUSE', message: 'address in use' } }))).toMatchObject([{ category: 'port-in-use', severity: 'fatal' }])
    expect(classifyText(JSON.stringify({ level: 40, msg: 'slow query' }))).toMatchObject([{ category: 'other', severity: 'warning', message: 'slow query' }])
    expect(classifyText(JSON.stringify({ severity: 'ERROR', message: 'payment declined' }))).toMatchObject([{ category: 'other', severity: 'error' }])
  })

  it('reads a JSON line printed between the lines of a stack as its own entry', () => {
    const text = ['Error: first', '    at a (/app/a.js:1:1)', JSON.stringify({ level: 'error', msg: 'second' }), '    at orphan-looking line'].join('\n')
    expect(classifyText(text).map((e) => e.message)).toEqual(['Error: first', 'second'])
  })

  it('recognises generic error and warning markers', () => {
    const cases: [string, Partial<Classification>][] = [
      ['ERROR: database migration failed', { category: 'other', severity: 'error' }],
      ['2024-05-01 12:00:00 FATAL could not bind', { category: 'other', severity: 'fatal', message: 'FATAL could not bind' }],
      ['time=2024-05-01T12:00:00Z level=error msg="queue stalled"', { category: 'other', severity: 'error' }],
      ['[WARN] cache miss storm', { category: 'other', severity: 'warning' }],
      ['(node:4242) [DEP0040] DeprecationWarning: The `punycode` module is deprecated.', { category: 'other', severity: 'warning' }],
      ['Port 5173 is in use, trying another one...', { category: 'port-in-use', severity: 'warning' }],
      ['npm warn deprecated inflight@1.0.6: This module is not supported', { category: 'dependency-install', severity: 'warning' }],
      ['Traceback (most recent call last):\n  File "/app/main.py", line 3, in <module>', { category: 'runtime', severity: 'error' }]
    ]
    for (const [text, expected] of cases) expect(classifyText(text), text).toEqual([expect.objectContaining(expected)])
  })
})
