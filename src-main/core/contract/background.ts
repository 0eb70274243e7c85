import { z } from 'zod'
import { TaskProgress } from './image'

/** Something background work cannot do: what went wrong, what to do, and since when (the first time it was seen). */
export const BackgroundProblem = z.object({
  message: z.string(),
  hint: z.string().optional(),
  since: z.string()
})
export type BackgroundProblem = z.infer<typeof BackgroundProblem>

/**
 * The core image as background work last saw it. `checking` until the first look; `missing` means a build is
 * due (the first create or `sandlot image build` makes it); `failed` is the last build's error, kept until the
 * image is built or the base changes.
 */
export const ImageBackground = z.object({
  state: z.enum(['checking', 'built', 'missing', 'building', 'failed']),
  base: z.string().optional(),
  tag: z.string().optional(),
  /** The running build's or pull's last step. */
  progress: TaskProgress.optional(),
  problem: BackgroundProblem.optional()
})
export type ImageBackground = z.infer<typeof ImageBackground>

/**
 * The warm pool: `ready` at its target, `waiting` for the core image to be built, `failing` when it cannot
 * reach its target (the problem says why), `off` when its target is 0.
 */
export const PoolBackground = z.object({
  state: z.enum(['checking', 'ready', 'waiting', 'failing', 'off']),
  target: z.number().int().nonnegative(),
  warm: z.number().int().nonnegative(),
  /** Why it waits, for `waiting`. */
  note: z.string().optional(),
  problem: BackgroundProblem.optional()
})
export type PoolBackground = z.infer<typeof PoolBackground>

/** What the core's background work (the core image, the pool) is doing and what stands in its way. */
export const BackgroundStatus = z.object({ image: ImageBackground, pool: PoolBackground })
export type BackgroundStatus = z.infer<typeof BackgroundStatus>
