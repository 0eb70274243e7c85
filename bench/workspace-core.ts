// What the workspace benchmarks need of the core, loaded through Vite's module runner (see loadCore in
// workspace-support.ts): the core's store embeds its SQL migrations with `import.meta.glob`, which only
// Vite (the app's bundler, and vitest) understands, so tsx cannot import sandlot-core.ts directly.
export { openSandlotCore } from '../src-main/core/sandlot-core'
export { dependencySnapshots, poolContainers } from '../src-main/core/store/schema'
