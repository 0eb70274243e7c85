import { readFileSync } from 'node:fs'
import { writeFileAtomic } from '../core/data/write-file-atomic'
import { z } from 'zod'

/**
 * What the desktop shell remembers between runs, in `window-state.json` in the data folder: where the window
 * was, the view it showed, and that the one-time "still in the tray" note was shown. A missing or broken file
 * means defaults: it is the app's own memory, never worth refusing to start over.
 */
const Bounds = z.object({
  x: z.number().int().min(-100_000).max(100_000),
  y: z.number().int().min(-100_000).max(100_000),
  width: z.number().int().min(1).max(100_000),
  height: z.number().int().min(1).max(100_000)
})
export type Bounds = z.infer<typeof Bounds>

/** A route of the renderer (`workspaces/web/errors`): path characters only, as the renderer's own links make them. */
export const RoutePath = z.string().max(300).regex(/^[A-Za-z0-9/%._-]*$/)

export const WindowState = z.object({
  bounds: Bounds.optional(),
  maximized: z.boolean().optional(),
  route: RoutePath.optional(),
  trayNoteShown: z.boolean().optional()
})
export type WindowState = z.infer<typeof WindowState>

export function readWindowState(file: string, read: (file: string) => string = (f) => readFileSync(f, 'utf8')): WindowState {
  try {
    const parsed = WindowState.safeParse(JSON.parse(read(file)))
    return parsed.success ? parsed.data : {}
  } catch {
    return {}
  }
}

/** Written to a temporary file and renamed, so a crash mid-write leaves the old file, not half of one. */
export function writeWindowState(file: string, state: WindowState): void {
  writeFileAtomic(file, `${JSON.stringify(WindowState.parse(state), null, 2)}\n`)
}

export interface SizeLimits {
  width: number
  height: number
  minWidth: number
  minHeight: number
}

/** How much of a window must be on a screen for its saved place to count (its title bar, at least, is). */
const VISIBLE_PX = 100

/**
 * The bounds to open the window with: the saved ones when enough of them is on a screen that exists now (a
 * monitor may have been unplugged), at least the minimum size and at most the screen; otherwise none, and the
 * window manager centres a window of the default size.
 */
export function restoreBounds(saved: Bounds | undefined, workAreas: readonly Bounds[], limits: SizeLimits): Partial<Bounds> {
  if (saved === undefined) return { width: limits.width, height: limits.height }
  const area = workAreas.find((a) => overlap(saved, a) >= VISIBLE_PX)
  if (area === undefined) return { width: limits.width, height: limits.height }
  const width = Math.min(Math.max(saved.width, limits.minWidth), area.width)
  const height = Math.min(Math.max(saved.height, limits.minHeight), area.height)
  // Pulled inside its screen, top edge first: the title bar must be reachable to move it.
  const x = Math.min(Math.max(saved.x, area.x), area.x + area.width - width)
  const y = Math.min(Math.max(saved.y, area.y), area.y + area.height - height)
  return { x, y, width, height }
}

function overlap(a: Bounds, b: Bounds): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? Math.min(w, h) : 0
}

/** The route in a window's URL (`sandlot://app/index.html#/workspaces/web`), when it is one worth keeping. */
export function routeOf(url: string): string | undefined {
  const hash = url.indexOf('#')
  if (hash < 0) return undefined
  const route = url.slice(hash + 1).replace(/^\//, '')
  return RoutePath.safeParse(route).success ? route : undefined
}
