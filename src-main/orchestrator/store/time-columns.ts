import { sql, type AnyColumn, type SQL } from 'drizzle-orm'

/**
 * A timestamptz read as an ISO string in UTC, whatever the server's TimeZone setting and the driver's parsers:
 * selected as epoch milliseconds and turned into a Date's ISO form here.
 */
export function isoOf(column: AnyColumn | SQL): SQL<string> {
  return sql`(extract(epoch from ${column}) * 1000)::float8`.mapWith((ms: number | string) => new Date(Math.round(Number(ms))).toISOString()) as SQL<string>
}

export function isoOrNullOf(column: AnyColumn | SQL): SQL<string | null> {
  return sql`(extract(epoch from ${column}) * 1000)::float8`.mapWith((ms: number | string | null) =>
    ms === null ? null : new Date(Math.round(Number(ms))).toISOString()
  ) as SQL<string | null>
}
