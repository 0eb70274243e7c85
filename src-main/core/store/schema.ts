import { sqliteTable, text } from 'drizzle-orm/sqlite-core'

/** Small facts about this data folder, such as its instance id. */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull()
})
