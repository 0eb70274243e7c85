import { defineConfig } from 'drizzle-kit'

// `npm run db:generate` writes a new migration after a schema change; migrations are committed.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src-main/core/store/schema.ts',
  out: './src-main/core/store/migrations'
})
