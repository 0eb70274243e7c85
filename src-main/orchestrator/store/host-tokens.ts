import { randomBytes } from 'node:crypto'
import { asc, eq, sql } from 'drizzle-orm'
import { tokenDigest } from '../../core/api-token'
import { SandlotError } from '../../core/sandlot-error'
import type { TokenInfo, TokenRole } from '../fleet-contract'
import type { OrchestratorDb } from './database'
import { hosts } from './schema'
import { isoOf, isoOrNullOf } from './time-columns'

/** A token as presented: the `sot_` prefix makes a leaked one recognisable; 32 random bytes as hex. */
const TOKEN_PREFIX = 'sot_'

export interface TokenHolder {
  id: number
  name: string
  role: TokenRole
  revoked: boolean
}

function hashOf(token: string): string {
  return tokenDigest(token).toString('hex')
}

/**
 * A new token for NAME, returned once: only its hash is kept. A revoked name gets a new token and keeps its
 * history (a desktop whose token leaked); a name with a live token is refused.
 */
export async function addToken(db: OrchestratorDb, name: string, role: TokenRole): Promise<{ name: string; role: TokenRole; token: string }> {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('hex')}`
  const tokenHash = hashOf(token)
  const [existing] = await db.select({ id: hosts.id, revokedAt: hosts.revokedAt, role: hosts.role }).from(hosts).where(eq(hosts.name, name))
  if (existing === undefined) {
    await db.insert(hosts).values({ name, role, tokenHash })
  } else if (existing.revokedAt === null) {
    throw new SandlotError('CONFLICT', `${name} already has a token.`, `Revoke it first (sandlot orchestrator token revoke ${name}), then add a new one.`)
  } else {
    await db.update(hosts).set({ role, tokenHash, revokedAt: null }).where(eq(hosts.id, existing.id))
  }
  return { name, role, token }
}

export async function listTokens(db: OrchestratorDb): Promise<TokenInfo[]> {
  const rows = await db
    .select({
      name: hosts.name,
      role: hosts.role,
      createdAt: isoOf(hosts.createdAt),
      revokedAt: isoOrNullOf(hosts.revokedAt),
      lastContactAt: isoOrNullOf(hosts.lastContactAt)
    })
    .from(hosts)
    .orderBy(asc(hosts.name))
  return rows.map((r) => ({ ...r, role: r.role as TokenRole }))
}

/** Refused from the next request on: every request looks its token up. */
export async function revokeToken(db: OrchestratorDb, name: string): Promise<{ name: string; revokedAt: string }> {
  const [row] = await db.update(hosts).set({ revokedAt: sql`coalesce(${hosts.revokedAt}, now())` as unknown as string }).where(eq(hosts.name, name)).returning({ revokedAt: isoOf(hosts.revokedAt) })
  if (row === undefined) throw new SandlotError('NOT_FOUND', `No token is named ${name}.`, 'See the names with: sandlot orchestrator token list')
  return { name, revokedAt: row.revokedAt }
}

/** Who holds this token, by its hash (the index does the lookup; the token itself is never stored). */
export async function tokenHolder(db: OrchestratorDb, token: string): Promise<TokenHolder | undefined> {
  const [row] = await db.select({ id: hosts.id, name: hosts.name, role: hosts.role, revokedAt: hosts.revokedAt }).from(hosts).where(eq(hosts.tokenHash, hashOf(token)))
  return row === undefined ? undefined : { id: row.id, name: row.name, role: row.role as TokenRole, revoked: row.revokedAt !== null }
}
