import { z } from 'zod'

/** The core image every workspace runs: its tag follows the content of `container/` and the base image. */
export const ImageStatus = z.object({
  /** `sandlot/core:<12 hex>` for the current sources and base. */
  tag: z.string(),
  /** Whether that exact tag exists on the engine (false means a build is due). */
  present: z.boolean(),
  base: z.string(),
  /** The base image's id, when the base is present locally. */
  baseId: z.string().optional(),
  /** Other `sandlot/core` tags on the engine: older builds that can be removed. */
  stale: z.array(z.string())
})
export type ImageStatus = z.infer<typeof ImageStatus>

/** Progress of a long task (image build, base pull), for progress bars in the CLI and UI. */
export const TaskProgress = z.object({
  task: z.string(),
  /** 0..1 when the total is known. */
  fraction: z.number().min(0).max(1).optional(),
  /** A short line: the current build step or pull layer. */
  message: z.string()
})
export type TaskProgress = z.infer<typeof TaskProgress>

export const ImageBuildParams = z
  .object({
    /** Base image for this build; the `image.base` setting otherwise. */
    base: z.string().min(1).max(255).optional(),
    /** Build even when the tag is present. */
    force: z.boolean().optional()
  })
  .strict()
export type ImageBuildParams = z.infer<typeof ImageBuildParams>

export const ImageBuildResult = z.object({
  tag: z.string(),
  /** False when the tag was already present and nothing was built. */
  built: z.boolean(),
  base: z.string(),
  durationMs: z.number().nonnegative()
})
export type ImageBuildResult = z.infer<typeof ImageBuildResult>
