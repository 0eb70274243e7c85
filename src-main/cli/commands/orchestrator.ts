import { homedir } from 'node:os'
import { join } from 'node:path'
import { InvalidArgumentError, Option, type Command } from 'commander'
import { resolveDataFolder } from '../../core/data/data-folder'
import { SandlotError } from '../../core/sandlot-error'
import type { DatabaseTarget, OrchestratorClient, OrchestratorDatabase } from '../../orchestrator'
import { describeAge, describeDuration } from '../../core/sync/sync-status-text'
import { TokenName, TokenRole, type FleetGap, type FleetHost } from '../../orchestrator/fleet-contract'
import type { CliContext } from '../cli-context'
import { columns, printResult } from '../output'
import { nextSignal } from './serve'

interface StoreOptions {
  database?: string
  data?: string
}

interface ServeOptions extends StoreOptions {
  port: number
  host: string
  tlsCert?: string
  tlsKey?: string
  behindProxy?: boolean
}

interface TokenOptions extends StoreOptions {
  url?: string
  token?: string
}

interface QueryOptions {
  url: string
  token?: string
  host?: string
  workspace?: string
  limit?: number
  search?: string
}

const TOKEN_ENV = 'SANDLOT_ORCHESTRATOR_TOKEN'
/** The orchestrator's own port (`sandlot serve` has 7373). */
const DEFAULT_ORCHESTRATOR_PORT = 7374

/** Loaded on first use: other commands, `--help` and usage errors never pay for the PostgreSQL drivers. */
const orchestratorModule = () => import('../../orchestrator')

/** `sandlot orchestrator …`: the team orchestrator (serve, tokens) and the fleet read from a running one. */
export function registerOrchestratorCommands(program: Command, ctx: CliContext): void {
  const orchestrator = program.command('orchestrator').description("a team's orchestrator: receives every desktop's monitoring history and answers across hosts")

  const withStore = (command: Command): Command =>
    command
      .option('--database <url>', 'a PostgreSQL server: postgres://user:password@host:port/database (default: the embedded database in --data)', databaseUrl)
      .option('--data <dir>', 'folder of the embedded database (default: orchestrator/ in the Sandlot data folder)')

  withStore(orchestrator.command('serve'))
    .description('receive batches from desktops and answer queries, until stopped')
    .addOption(new Option('--port <port>', 'TCP port; 0 picks a free one').default(DEFAULT_ORCHESTRATOR_PORT).argParser(port))
    .option('--host <address>', 'address to listen on (off loopback: TLS or --behind-proxy)', '127.0.0.1')
    .option('--tls-cert <file>', 'PEM certificate: serve HTTPS (with --tls-key)')
    .option('--tls-key <file>', 'PEM private key of --tls-cert')
    .option('--behind-proxy', 'a TLS proxy on this machine forwards to it: answer only what it forwarded over HTTPS (X-Forwarded-Proto)')
    .action((options: ServeOptions) => serve(ctx, options))

  const token = orchestrator.command('token').description('the tokens of desktops (host) and people reading (reader, admin); stored hashed')
  // Directly in the database, or through a running orchestrator with an admin token (--url): the embedded store
  // is held by its orchestrator while it runs.
  const tokenVerb = (usage: string): Command =>
    withStore(token.command(usage))
      .option('--url <url>', 'through this running orchestrator instead (needs an admin --token)')
      .option('--token <token>', `an admin token, with --url (default: $${TOKEN_ENV})`)
  tokenVerb('add <name>')
    .description('create a token for a host or a reader and print it, once')
    .addOption(new Option('--role <role>', 'host: a desktop sending its history; reader or admin: may query (admin: also manage tokens)').choices(TokenRole.options).default('host'))
    .action(async (name: string, options: TokenOptions & { role: TokenRole }) => {
      const added = await viaStoreOrUrl(ctx, options, (o, d) => o.addToken(d.db, tokenName(name), options.role), (c) => c.addToken(tokenName(name), options.role))
      printResult(ctx, added, (a) =>
        [`Token for ${a.name} (${a.role}), shown this once: keep it somewhere safe.`, '', `    ${a.token}`, '', a.role === 'host' ? `On that desktop: sandlot config set sync.url <this orchestrator's URL>; sandlot config set sync.token <token>; then the app or sandlot serve sends` : `Readers: sandlot orchestrator hosts --token <token> (or ${TOKEN_ENV})`].join('\n')
      )
    })
  tokenVerb('list')
    .description('the tokens: name, role, created, revoked, last contact')
    .action(async (options: TokenOptions) => {
      const tokens = await viaStoreOrUrl(ctx, options, (o, d) => o.listTokens(d.db), async (c) => (await c.tokens()).tokens)
      printResult(ctx, { tokens }, ({ tokens: all }) =>
        all.length === 0
          ? 'No tokens yet: sandlot orchestrator token add NAME'
          : columns(['NAME', 'ROLE', 'CREATED', 'REVOKED', 'LAST CONTACT'], all.map((t) => [t.name, t.role, t.createdAt, t.revokedAt ?? '—', t.lastContactAt ?? '—']))
      )
    })
  tokenVerb('revoke <name>')
    .description("refuse a token from the next request on (the host's history stays; `token add` gives it a new one)")
    .action(async (name: string, options: TokenOptions) => {
      const revoked = await viaStoreOrUrl(ctx, options, (o, d) => o.revokeToken(d.db, tokenName(name)), (c) => c.revokeToken(tokenName(name)))
      printResult(ctx, revoked, (r) => `Revoked the token of ${r.name}.`)
    })

  const reader = (name: string, description: string): Command =>
    orchestrator
      .command(name)
      .description(description)
      .option('--url <url>', 'the orchestrator', `http://127.0.0.1:${DEFAULT_ORCHESTRATOR_PORT}`)
      .option('--token <token>', `a reader or admin token (default: $${TOKEN_ENV})`)
  const filters = (command: Command): Command =>
    command
      .option('--host <name>', 'only this host', tokenName)
      .option('--workspace <name>', 'only this workspace')
      .option('-n, --limit <count>', 'at most this many, newest first (1 to 5000)', limit)

  reader('hosts', 'the hosts: last contact, last record, sync delay, workspaces').action(async (options: QueryOptions) => {
    const { hosts } = await (await client(ctx, options)).hosts()
    const now = Date.now()
    const age = (iso: string | null) => (iso === null ? 'never' : describeAge(now - Date.parse(iso)))
    // The delay is that of the host's last batch with new records; its age says how current it is.
    const delay = ({ syncDelay: d }: FleetHost) => (d === null ? '—' : `p50 ${describeDuration(d.p50Ms)}, max ${describeDuration(d.maxMs)} (${age(d.receivedAt)})`)
    printResult(ctx, { hosts }, ({ hosts: all }) =>
      all.length === 0
        ? 'No hosts yet: add one with sandlot orchestrator token add NAME'
        : columns(
            ['HOST', 'LAST CONTACT', 'LAST RECORD', 'SYNC DELAY', 'WORKSPACES', 'AGENT'],
            all.map((h) => [`${h.name}${h.revoked ? ' (revoked)' : ''}`, age(h.lastContactAt), age(h.lastRecordTs), delay(h), String(h.workspaces), h.agent ?? '—'])
          )
    )
  })
  filters(reader('workspaces', 'workspaces across hosts, with their states')).action(async (options: QueryOptions) => {
    const result = await (await client(ctx, options)).workspaces(query(options))
    printResult(ctx, result, ({ workspaces }) =>
      workspaces.length === 0 ? 'No workspaces reported.' : columns(['HOST', 'WORKSPACE', 'TEMPLATE', 'STATE', 'UPDATED'], workspaces.map((w) => [w.host, w.name, w.template, w.state, w.updatedAt]))
    )
  })
  filters(reader('errors', 'errors grouped by fingerprint across hosts: hosts, counts, first and last seen')).action(async (options: QueryOptions) => {
    const result = await (await client(ctx, options)).errors(query(options))
    printResult(ctx, result, ({ errors }) =>
      errors.length === 0
        ? 'No errors.'
        : errors
            .map((e) => `${e.message}\n  ${e.count}× on ${e.hosts.join(', ')} (${e.workspaces.join(', ')}) · first ${e.firstSeen} · last ${e.lastSeen}${e.file === null ? '' : ` · ${e.file}${e.line === null ? '' : `:${e.line}`}`}`)
            .join('\n')
    )
  })
  filters(reader('events', 'starts, crashes, restarts and gaps across hosts, newest first')).action(async (options: QueryOptions) => {
    const result = await (await client(ctx, options)).events(query(options))
    printResult(ctx, result, ({ events, gaps }) =>
      [
        ...events.map((e) => `${e.ts}  ${e.host}/${e.workspace}  ${e.event}  ${e.summary}`),
        ...gaps.map((g) => `${g.to}  ${g.host}/${g.workspace}  gap  ${gapCounts(g)} never sent by the desktop (${g.from} to ${g.to})`)
      ].join('\n') || 'No events.'
    )
  })
  filters(reader('logs', "log lines across hosts, newest first; --search uses PostgreSQL's full-text search"))
    .option('--search <words>', 'words, "a phrase", or, -word')
    .action(async (options: QueryOptions) => {
      const result = await (await client(ctx, options)).logs({ ...query(options), ...(options.search === undefined ? {} : { search: options.search }) })
      printResult(ctx, result, ({ lines }) => (lines.length === 0 ? 'No lines.' : [...lines].reverse().map((l) => `${l.ts}  ${l.host}/${l.workspace}  ${l.line}`).join('\n')))
    })
}

async function serve(ctx: CliContext, options: ServeOptions): Promise<void> {
  if ((options.tlsCert === undefined) !== (options.tlsKey === undefined)) {
    throw new SandlotError('BAD_USAGE', 'Give both --tls-cert and --tls-key, or neither.', 'HTTPS needs the certificate and its private key (PEM files).')
  }
  const { listenPolicyProblem, startOrchestratorServer, TLS_HINT } = await orchestratorModule()
  const tls = options.tlsCert !== undefined && options.tlsKey !== undefined ? { certFile: options.tlsCert, keyFile: options.tlsKey } : undefined
  // Refused before the database is opened: a wrong command line changes nothing.
  const problem = listenPolicyProblem({ host: options.host, behindProxy: options.behindProxy === true, ...(tls === undefined ? {} : { tls }) })
  if (problem !== undefined) throw new SandlotError('BAD_USAGE', problem, TLS_HINT)
  const d = await openDatabase(ctx, options)
  try {
    const server = await startOrchestratorServer({
      db: d.db,
      host: options.host,
      port: options.port,
      behindProxy: options.behindProxy === true,
      onProblem: (message) => ctx.io.stderr(`${message}\n`),
      ...(tls === undefined ? {} : { tls })
    })
    const info = { url: server.url, port: server.port, database: d.driver, where: d.where, pid: process.pid }
    printResult(ctx, info, (i) =>
      [`Sandlot orchestrator on ${i.url}`, `  database  ${i.database === 'pglite' ? `embedded, in ${i.where}` : `PostgreSQL at ${i.where}`}`, '', 'Press Ctrl+C to stop.'].join('\n')
    )
    const signal = await nextSignal(['SIGINT', 'SIGTERM'])
    ctx.io.stderr(`Received ${signal}: stopping.\n`)
    await server.close()
  } finally {
    await d.close()
  }
}

type OrchestratorModule = Awaited<ReturnType<typeof orchestratorModule>>

/** A token verb in the database (--database, --data or the default folder), or through a running orchestrator (--url). */
async function viaStoreOrUrl<T>(
  ctx: CliContext,
  options: TokenOptions,
  inStore: (o: OrchestratorModule, d: OrchestratorDatabase) => Promise<T>,
  throughUrl: (c: OrchestratorClient) => Promise<T>
): Promise<T> {
  if (options.url !== undefined) {
    if (options.database !== undefined || options.data !== undefined) throw new SandlotError('BAD_USAGE', 'Give --url, or --database/--data, not both.', '--url goes through a running orchestrator; the others open its database.')
    return throughUrl(await client(ctx, { url: options.url, ...(options.token === undefined ? {} : { token: options.token }) }))
  }
  const d = await openDatabase(ctx, options)
  try {
    return await inStore(await orchestratorModule(), d)
  } finally {
    await d.close()
  }
}

async function openDatabase(ctx: CliContext, options: StoreOptions): Promise<OrchestratorDatabase> {
  if (options.database !== undefined && options.data !== undefined) throw new SandlotError('BAD_USAGE', 'Give --database or --data, not both.', '--database is a PostgreSQL server; --data the folder of the embedded database.')
  const target: DatabaseTarget =
    options.database !== undefined ? { url: options.database } : { folder: options.data ?? join(resolveDataFolder({ env: ctx.io.env, platform: process.platform, home: homedir() }), 'orchestrator') }
  return (await orchestratorModule()).openOrchestratorDatabase(target)
}

async function client(ctx: CliContext, options: QueryOptions): Promise<OrchestratorClient> {
  const token = options.token ?? ctx.io.env[TOKEN_ENV]
  if (token === undefined || token === '') throw new SandlotError('BAD_USAGE', 'No token to query the orchestrator with.', `Give --token <token> or set ${TOKEN_ENV} (a reader or admin token: sandlot orchestrator token add NAME --role reader).`)
  let url: URL
  try {
    url = new URL(options.url)
  } catch {
    throw new SandlotError('BAD_USAGE', `--url ${options.url} is not a URL.`, `Give the orchestrator's address, such as http://127.0.0.1:${DEFAULT_ORCHESTRATOR_PORT}.`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SandlotError('BAD_USAGE', `--url must be http:// or https://, not ${url.protocol}`, 'Give the orchestrator’s address.')
  return new (await orchestratorModule()).OrchestratorClient(url.toString(), token)
}

function query(options: QueryOptions): { host?: string; workspace?: string; limit?: number } {
  return {
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.workspace === undefined ? {} : { workspace: options.workspace }),
    ...(options.limit === undefined ? {} : { limit: options.limit })
  }
}

/** "40 log lines, 2 events, 1 error": the kinds a gap holds. */
function gapCounts(gap: FleetGap): string {
  const parts: Array<[number, string]> = [
    [gap.lines, 'log line'],
    [gap.events, 'event'],
    [gap.errors, 'error']
  ]
  return parts
    .filter(([n]) => n > 0)
    .map(([n, noun]) => `${n} ${noun}${n === 1 ? '' : 's'}`)
    .join(', ')
}

function tokenName(value: string): string {
  const parsed = TokenName.safeParse(value)
  if (!parsed.success) throw new InvalidArgumentError(`${value} is not a valid name: ${parsed.error.issues[0]?.message ?? ''}`)
  return parsed.data
}

function databaseUrl(value: string): string {
  if (!/^postgres(ql)?:\/\//.test(value)) throw new InvalidArgumentError('a PostgreSQL URL: postgres://user:password@host:port/database')
  return value
}

function port(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || n > 65_535) throw new InvalidArgumentError('Give a port number from 0 to 65535 (0 picks a free port).')
  return n
}

function limit(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 5000) throw new InvalidArgumentError('a whole number from 1 to 5000')
  return n
}
