import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/** Small facts about this data folder, such as its instance id. */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull()
})

/**
 * Workspaces: the user's named environments. Docker labels are fixed at container create time, so a pooled
 * container's assignment lives here (and in its name, by rename), not in its labels.
 */
export const workspaces = sqliteTable('workspaces', {
  name: text('name').primaryKey(),
  templateId: text('template_id').notNull(),
  containerId: text('container_id').notNull().unique(),
  /** The preview port on 127.0.0.1, published at create time. */
  previewPort: integer('preview_port'),
  /** creating | ready | failed: the create flow's outcome; running or stopped is read from the engine. */
  status: text('status').notNull(),
  /** The last create phase reached: claim | inject | install | start | ready. */
  phase: text('phase').notNull(),
  /** What went wrong, as contract error info (JSON), when status is failed. */
  error: text('error'),
  /** The run settings it was made with (template manifest, JSON): `save` carries them even if the template is gone. */
  manifest: text('manifest'),
  /** While creating: `<host>:<pid>` of the process doing it, so a create cut short by a crash is recognised. */
  creator: text('creator'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull()
})

/** Warm, started, template-agnostic containers; a claim is one conditional UPDATE, safe across processes. */
export const poolContainers = sqliteTable('pool_containers', {
  containerId: text('container_id').primaryKey(),
  imageTag: text('image_tag').notNull(),
  previewPort: integer('preview_port'),
  createdAt: text('created_at').notNull(),
  /** The workspace that claimed it; null while it waits in the pool. */
  claimedBy: text('claimed_by'),
  claimedAt: text('claimed_at')
})

/**
 * Installed dependencies kept for the next workspace with the same inputs (lockfile, package.json, install
 * command, env, image): made by a throw-away container that runs nothing but the install, kept read-only.
 */
export const dependencySnapshots = sqliteTable('dependency_snapshots', {
  key: text('key').primaryKey(),
  templateId: text('template_id').notNull(),
  imageTag: text('image_tag').notNull(),
  bytes: integer('bytes').notNull(),
  createdAt: text('created_at').notNull(),
  usedAt: text('used_at').notNull()
})
