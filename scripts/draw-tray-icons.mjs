// Draws the tray icons (and the app icon) into resources/tray/ with Node alone: `node scripts/draw-tray-icons.mjs`.
// Each fleet state has its own shape, not only its own colour, so it reads at 16 px and without colour:
// ready = a filled dot, starting = a ring, trouble = an exclamation mark, unreachable = a slash through the box.
// macOS gets template images (black and alpha; the menu bar tints them), Linux and Windows coloured ones.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'tray')

const LINUX_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512]

const COLOURS = { outline: [154, 160, 166], ready: [46, 170, 90], starting: [230, 160, 30], trouble: [222, 60, 60], unreachable: [154, 160, 166] }

// Shapes in a unit square (0..1, y down); each says whether a point is inside.
const roundedBox = (x, y) => {
  const inset = 0.06
  const r = 0.2
  const w = 0.09
  const inside = (px, py, grow) => {
    const lo = inset - grow
    const hi = 1 - inset + grow
    const rr = r + grow
    const cx = Math.min(Math.max(px, lo + rr), hi - rr)
    const cy = Math.min(Math.max(py, lo + rr), hi - rr)
    return (px - cx) ** 2 + (py - cy) ** 2 <= rr * rr && px >= lo && px <= hi && py >= lo && py <= hi
  }
  return inside(x, y, 0) && !inside(x, y, -w)
}
const disc = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r
const ring = (cx, cy, r, w) => (x, y) => disc(cx, cy, r)(x, y) && !disc(cx, cy, r - w)(x, y)
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1
const slash = (x, y) => Math.abs(x + y - 1) / Math.SQRT2 <= 0.065 && x > 0.1 && x < 0.9

const MARKS = {
  ready: disc(0.5, 0.5, 0.22),
  starting: ring(0.5, 0.5, 0.24, 0.09),
  trouble: (x, y) => rect(0.43, 0.24, 0.57, 0.6)(x, y) || disc(0.5, 0.73, 0.075)(x, y),
  unreachable: slash
}

/** RGBA pixels of one icon, 4×4 supersampled for smooth edges. */
function draw(size, state, template) {
  const pixels = Buffer.alloc(size * size * 4)
  const layers = [
    { shape: roundedBox, colour: template ? [0, 0, 0] : COLOURS.outline },
    { shape: MARKS[state], colour: template ? [0, 0, 0] : COLOURS[state] }
  ]
  const n = 4
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0
      let g = 0
      let b = 0
      let a = 0
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) / size
          const y = (py + (sy + 0.5) / n) / size
          // The later layer wins where both cover a point.
          const layer = [...layers].reverse().find((l) => l.shape(x, y))
          if (layer === undefined) continue
          r += layer.colour[0]
          g += layer.colour[1]
          b += layer.colour[2]
          a += 1
        }
      }
      const i = (py * size + px) * 4
      if (a > 0) {
        pixels[i] = Math.round(r / a)
        pixels[i + 1] = Math.round(g / a)
        pixels[i + 2] = Math.round(b / a)
        pixels[i + 3] = Math.round((255 * a) / (n * n))
      }
    }
  }
  return pixels
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buffer) {
  let c = 0xffffffff
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}
function png(size, rgba) {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header[8] = 8 // bit depth
  header[9] = 6 // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4)
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))])
}

mkdirSync(out, { recursive: true })
for (const state of Object.keys(MARKS)) {
  for (const [suffix, size] of [['', 16], ['@2x', 32]]) {
    writeFileSync(join(out, `${state}${suffix}.png`), png(size, draw(size, state, false)))
    // Electron treats a file whose name ends in "Template" as a macOS template image.
    writeFileSync(join(out, `${state}Template${suffix}.png`), png(size, draw(size, state, true)))
  }
}
// The app icon (electron-builder makes .icns and .ico from it): the box with the ready mark, large.
writeFileSync(join(out, '..', 'icon.png'), png(512, draw(512, 'ready', false)))
// Linux desktops pick the size they show from a set (electron-builder's linux.icon): each drawn at its size.
const icons = join(out, '..', 'icons')
mkdirSync(icons, { recursive: true })
for (const size of LINUX_ICON_SIZES) writeFileSync(join(icons, `${size}x${size}.png`), png(size, draw(size, 'ready', false)))
console.log(`Tray icons written to ${out}`)
