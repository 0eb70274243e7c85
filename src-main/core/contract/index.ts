// The one contract: zod schemas only, no Node APIs, so the renderer and preload can import it safely.
export * from './errors'
export * from './engine'
export * from './settings'
export * from './image'
export * from './methods'
export * from './wire'
export * from './ws-transport'
