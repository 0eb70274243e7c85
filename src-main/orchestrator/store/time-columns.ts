import { sql, type AnyColumn, type SQL } from 'drizzle-orm'

/**
 * A timestamptz read as an ISO string in UTC, whatever the server's TimeZone setting and the driver's parsers:
 * selected as epoch milliseconds and turned into a Date's ISO form here.
 */
export function isoOf(column: AnyColumn | SQL): SQL<string> {
  return epochMsOf(column).mapWith((ms: number | string) => new Date(Math.round(Number(ms))).toISOString()) as SQL<string>
}

export function isoOrNullOf(column: AnyColumn | SQL): SQL<string | null> {
  return epochMsOf(column).mapWith((ms: number | string | null) =>
    ms === null ? null : new Date(Math.round(Number(ms))).toISOString()
  ) as SQL<string | null>
}

/** A timestamptz as epoch milliseconds (float8, which a driver may hand over as a number or as text). */
export function epochMsOf(column: AnyColumn | SQL): SQL<number | string> {
  return sql<number | string>`(extract(epoch from ${column}) * 1000)::float8`
}
