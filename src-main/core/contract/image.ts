import { z } from 'zod'

/**
 * Docker's image reference grammar (github.com/distribution/reference): `[domain[:port]/]path[:tag][@digest]`,
 * path components lowercase letters and digits joined by `.`, `_`, `__` or dashes. A reference travels into
 * the engine's API path (`/images/<ref>/json`), so nothing else may pass: `../x` there reaches another
 * endpoint. An image id (`sha256:<64 hex>`) is accepted too.
 */
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*'
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`
const TAG = '[\\w][\\w.-]{0,127}'
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}'
const REFERENCE = new RegExp(`^(${NAME})(?::${TAG})?(?:@${DIGEST})?$`)
const IMAGE_ID = /^sha256:[0-9a-f]{64}$/

export function isImageReference(value: string): boolean {
  if (IMAGE_ID.test(value)) return true
  const match = REFERENCE.exec(value)
  // Docker's limit on the name part (the whole reference may add a tag and a digest).
  return match !== null && match[1]!.length <= 255
}

export const IMAGE_REFERENCE_RULE =
  'must be an image reference such as node:22-bookworm-slim or registry.example.com:5000/team/node:22@sha256:… (lowercase name, optional :tag and @digest)'

export const ImageReference = z.string().max(512, IMAGE_REFERENCE_RULE).refine(isImageReference, IMAGE_REFERENCE_RULE)

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
    base: ImageReference.optional(),
    /** Build even when the tag is present. */
    force: z.boolean().optional()
  })
  .strict()
export type ImageBuildParams = z.infer<typeof ImageBuildParams>

export const ImageStatusParams = z.object({ base: ImageReference.optional() }).strict()

export const ImageBuildResult = z.object({
  tag: z.string(),
  /** False when the tag was already present and nothing was built. */
  built: z.boolean(),
  base: z.string(),
  durationMs: z.number().nonnegative()
})
export type ImageBuildResult = z.infer<typeof ImageBuildResult>
