import type Dockerode from 'dockerode'
import type { ImageBuildParams, ImageBuildResult, ImageStatus, TaskProgress } from '../contract'
import { SandlotError } from '../sandlot-error'
import { unlessMissing } from '../engine/engine-missing'
import { applyBuildMessage, newBuildOutput } from './build-output'
import { CORE_IMAGE_REPOSITORY, coreImageTag, packBuildContext, readBuildContext } from './build-context'

export interface CoreImageDeps {
  /** Runs engine calls, turning unreachable-engine failures into ENGINE_UNREACHABLE (EngineSession.use). */
  engine: <T>(work: (docker: Dockerode) => Promise<T>) => Promise<T>
  containerDir: () => string
  /** The `image.base` setting. */
  defaultBase: () => string
  /** The extra CA bundle the build must trust (registries behind a TLS-intercepting proxy). */
  extraCa: () => Uint8Array | undefined
}

export const OFFLINE_HINT =
  'Without a registry, build the offline base with `container/base/build-offline-base.sh`, then `sandlot image build --base IMAGE` (which keeps IMAGE as the image.base setting; or `sandlot config set image.base IMAGE`).'

/**
 * The one image every workspace runs. Its tag is derived from the build context and the base image id, so
 * the engine already holding the tag means nothing changed and nothing is rebuilt.
 */
export class CoreImage {
  readonly #deps: CoreImageDeps

  constructor(deps: CoreImageDeps) {
    this.#deps = deps
  }

  async status(baseOverride?: string): Promise<ImageStatus> {
    const base = baseOverride ?? this.#deps.defaultBase()
    const baseId = await this.#imageId(base)
    const context = readBuildContext(this.#deps.containerDir(), this.#deps.extraCa())
    // Without the base locally the tag cannot be known yet; report it by the context alone, as not present.
    const tag = coreImageTag(context.digest, baseId ?? `missing:${base}`)
    const present = baseId !== undefined && (await this.#imageId(tag)) !== undefined
    const stale = (await this.#coreTags()).filter((t) => t !== tag)
    return baseId === undefined ? { tag, present, base, stale } : { tag, present, base, baseId, stale }
  }

  async build(params: ImageBuildParams, onProgress: (p: TaskProgress) => void = () => {}): Promise<ImageBuildResult> {
    const started = Date.now()
    const base = params.base ?? this.#deps.defaultBase()
    const context = readBuildContext(this.#deps.containerDir(), this.#deps.extraCa())
    const baseId = (await this.#imageId(base)) ?? (await this.#pullBase(base, onProgress))
    const tag = coreImageTag(context.digest, baseId)
    if (!params.force && (await this.#imageId(tag)) !== undefined) {
      return { tag, built: false, base, durationMs: Date.now() - started }
    }
    onProgress({ task: 'image.build', fraction: 0, message: `Building ${tag} from ${base}` })
    const output = newBuildOutput()
    await this.#deps.engine(async (docker) => {
      const stream = await docker.buildImage(packBuildContext(context), {
        t: tag,
        buildargs: { BASE_IMAGE: base },
        labels: { 'dev.sandlot.managed': 'true', 'dev.sandlot.image-hash': tag.split(':')[1] ?? '' },
        rm: true,
        forcerm: true,
        // The classic builder: the Dockerfile avoids BuildKit-only syntax, and its "Step N/M" lines drive progress.
        version: '1'
      } as Dockerode.ImageBuildOptions)
      await follow(docker, stream, (message) => {
        const shown = applyBuildMessage(output, message)
        if (shown) onProgress({ task: 'image.build', ...shown })
      })
    })
    if (output.error !== undefined || (await this.#imageId(tag)) === undefined) {
      throw buildFailure(output.error ?? 'the engine reported no error, but the image is missing', output.tail)
    }
    onProgress({ task: 'image.build', fraction: 1, message: `Built ${tag}` })
    return { tag, built: true, base, durationMs: Date.now() - started }
  }

  async #pullBase(base: string, onProgress: (p: TaskProgress) => void): Promise<string> {
    onProgress({ task: 'image.pull', message: `Pulling ${base}` })
    try {
      await this.#deps.engine(async (docker) => {
        const stream = (await docker.pull(base)) as NodeJS.ReadableStream
        const output = newBuildOutput()
        await follow(docker, stream, (message) => {
          const shown = applyBuildMessage(output, message)
          if (shown) onProgress({ task: 'image.pull', message: shown.message })
        })
        if (output.error !== undefined) throw new Error(output.error)
      })
    } catch (err) {
      if (err instanceof SandlotError && err.code === 'ENGINE_UNREACHABLE') throw err
      throw new SandlotError('IMAGE_MISSING', `The base image ${base} is not on the engine and could not be pulled: ${(err as Error).message}`, OFFLINE_HINT, {
        cause: err
      })
    }
    const id = await this.#imageId(base)
    if (id === undefined) throw new SandlotError('IMAGE_MISSING', `The base image ${base} is still missing after the pull.`, OFFLINE_HINT)
    return id
  }

  async #imageId(reference: string): Promise<string | undefined> {
    const image = await unlessMissing(this.#deps.engine((docker) => docker.getImage(reference).inspect() as Promise<{ Id: string }>))
    return image?.Id
  }

  async #coreTags(): Promise<string[]> {
    const images = await this.#deps.engine((docker) => docker.listImages({ filters: { reference: [CORE_IMAGE_REPOSITORY] } }))
    return images.flatMap((image) => image.RepoTags ?? []).filter((t) => t.startsWith(`${CORE_IMAGE_REPOSITORY}:`))
  }
}

function follow(docker: Dockerode, stream: NodeJS.ReadableStream, onMessage: (message: unknown) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()), onMessage)
  })
}

function buildFailure(error: string, tail: string[]): SandlotError {
  const diskFull = /no space left on device/i.test(error) || tail.some((l) => /no space left on device/i.test(l))
  const hint = diskFull
    ? 'The engine ran out of disk space: free some with `docker system prune`, or give Docker Desktop a larger disk.'
    : `The last lines of the build:\n${tail.slice(-15).join('\n')}`
  return new SandlotError('IMAGE_BUILD_FAILED', `Building the core image failed: ${error}`, hint)
}
