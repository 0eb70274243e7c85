import { describe, expect, it } from 'vitest'
import { duration, parseCliArgs, UsageError } from './cli-args'

const parse = (line: string[]) => parseCliArgs(line, '/app/web')

describe('parseCliArgs', () => {
  it('builds a complete, validated spec from process start flags', () => {
    const command = parse([
      'process', 'start', '--command', 'npm run dev', '--cwd', 'client', '--port', '5173', '--ready-pattern', 'ready in',
      '-e', 'NODE_ENV=development', '--env', 'URL=http://x?a=b', '--restart', 'always', '--max-restarts', '3',
      '--restart-window', '2m', '--backoff-initial', '250ms', '--backoff-factor', '1.5', '--backoff-max', '10s',
      '--backoff-jitter', '0', '--stable-after', '45s', '--startup-grace', '90s', '--health-interval', '5s',
      '--health-timeout', '1s', '--health-failures', '4', '--health-restart', '6', '--stop-timeout', '8s',
      '--preview-host', 'App.Test', '--preview-host', '*.tunnel.example', '--json'
    ])
    expect(command).toEqual({
      kind: 'request',
      json: true,
      request: {
        op: 'process.start',
        spec: {
          command: 'npm run dev',
          cwd: '/app/web/client',
          port: 5173,
          readyPattern: 'ready in',
          env: { NODE_ENV: 'development', URL: 'http://x?a=b' },
          restart: { policy: 'always', maxRestarts: 3, windowMs: 120_000, initialDelayMs: 250, factor: 1.5, maxDelayMs: 10_000, jitter: 0, stableAfterMs: 45_000 },
          readiness: { startupGraceMs: 90_000, pollIntervalMs: 500 },
          health: { intervalMs: 5000, timeoutMs: 1000, failureThreshold: 4, restartAfterFailures: 6 },
          stopTimeoutMs: 8000,
          previewHosts: ['app.test', '*.tunnel.example']
        }
      }
    })
  })

  it('defaults the cwd to the caller\'s directory and can disable the ready pattern', () => {
    const command = parse(['process', 'start', '-c', 'node server.js', '--no-ready-pattern'])
    expect(command).toMatchObject({ kind: 'request', json: false, request: { spec: { cwd: '/app/web', readyPattern: null } } })
  })

  it('maps the other commands to their requests', () => {
    expect(parse(['process', 'stop'])).toEqual({ kind: 'request', json: false, request: { op: 'process.stop' } })
    expect(parse(['process', 'restart', '--json'])).toEqual({ kind: 'request', json: true, request: { op: 'process.restart' } })
    expect(parse(['process', 'status'])).toMatchObject({ request: { op: 'process.status' } })
    expect(parse(['logs', 'tail', '-n', '20'])).toMatchObject({ request: { op: 'logs.tail', lines: 20 } })
    expect(parse(['logs', 'tail'])).toMatchObject({ request: { op: 'logs.tail' } })
    expect(parse(['errors', '-n', '5'])).toMatchObject({ request: { op: 'errors.list', limit: 5 } })
    expect(parse(['health', '--json'])).toEqual({ kind: 'request', json: true, request: { op: 'health' } })
    expect(parse([])).toEqual({ kind: 'help' })
    expect(parse(['process', 'start', '--help'])).toEqual({ kind: 'help' })
  })

  it('refuses bad usage with a message that names the problem', () => {
    const cases: [string[], RegExp][] = [
      [['launch'], /unknown command "launch"/],
      [['process'], /process needs start, stop, restart or status/],
      [['process', 'pause'], /not "pause"/],
      [['logs'], /logs needs tail/],
      [['process', 'start'], /needs --command/],
      [['process', 'start', '-c', 'x', '--port', 'http'], /--port needs a whole number/],
      [['process', 'start', '-c', 'x', '--port', '99999'], /port/],
      [['process', 'start', '-c', 'x', '--stop-timeout', '5'], /--stop-timeout needs a duration such as 500ms/],
      [['process', 'start', '-c', 'x', '--env', 'NOVALUE'], /--env needs KEY=VALUE/],
      [['process', 'start', '-c', 'x', '--env', '1BAD=v'], /environment variable names/],
      [['process', 'start', '-c', 'x', '--restart', 'sometimes'], /--restart must be on-failure, always, never/],
      [['process', 'start', '-c', 'x', '--ready-pattern', '(', ], /not a valid regular expression/],
      [['process', 'start', '-c', 'x', '--ready-pattern', 'a', '--no-ready-pattern'], /exclude each other/],
      [['process', 'start', '-c', 'x', '--colour'], /Unknown option '--colour'/],
      [['process', 'start', '-c', 'x', '--preview-host', 'app.test:8080'], /a preview host is a name/],
      [['process', 'stop', 'now'], /unexpected argument "now"/],
      [['logs', 'tail', '-n', '0'], /-n must be between 1 and 2000/],
      [['errors', '-n', '201'], /-n must be between 1 and 200/]
    ]
    for (const [args, message] of cases) {
      expect(() => parse(args), args.join(' ')).toThrow(UsageError)
      expect(() => parse(args), args.join(' ')).toThrow(message)
    }
  })
})

describe('duration', () => {
  it('reads units and refuses bare numbers', () => {
    expect([duration('500ms', 'x'), duration('1.5s', 'x'), duration('2m', 'x'), duration('1h', 'x')]).toEqual([500, 1500, 120_000, 3_600_000])
    expect(() => duration('10', '--x')).toThrow(UsageError)
  })
})
