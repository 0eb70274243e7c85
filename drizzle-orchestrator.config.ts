import { defineConfig } from 'drizzle-kit'

// The orchestrator's PostgreSQL schema (src-main/orchestrator): `npx drizzle-kit generate --config drizzle-orchestrator.config.ts` writes a new
// migration after a schema change; migrations are committed and applied at start by both drivers.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src-main/orchestrator/store/schema.ts',
  out: './src-main/orchestrator/store/migrations'
})
