/** Bytes in decimal units, as `docker system df` shows them; the CLI and the window say sizes alike. */
export function formatBytes(bytes: number): string {
  if (bytes < 0) return 'unknown'
  const units = ['B', 'kB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit += 1
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}
