import { FILE_CAP } from '../../../../src-main/core/contract/files'

/** A file's bytes as text, or undefined when they are not text (a NUL byte, or not UTF-8), as git tells binaries apart. */
export function textOf(bytes: Uint8Array): string | undefined {
  if (bytes.subarray(0, 8000).includes(0)) return undefined
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return undefined
  }
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i)
  return bytes
}

export function bytesToBase64(bytes: Uint8Array): string {
  // In slices: one String.fromCharCode call with millions of arguments overflows the stack.
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/** Names the window writes into a folder: one path segment that Linux and the user's own system both accept. */
const MAX_NAME_BYTES = 255

/** Why a file cannot be uploaded as it is, with what to do instead; undefined when it can. */
export function uploadProblem(file: { name: string; size: number }, folder: string, workspace: string): string | undefined {
  const { name, size } = file
  if (name === '' || name === '.' || name === '..') return `"${name}" is not a file name: rename the file and drop it again.`
  if (name.includes('/') || name.includes('\0')) return `"${name}" has a / or a NUL character in its name: rename the file and drop it again.`
  if (new TextEncoder().encode(name).length > MAX_NAME_BYTES) return `${name.slice(0, 40)}… has a name longer than ${MAX_NAME_BYTES} bytes: give it a shorter name and drop it again.`
  if (size > FILE_CAP) {
    return (
      `${name} is ${mebibytes(size)}, over the ${mebibytes(FILE_CAP)} the window uploads at once. ` +
      `Copy it from a terminal: \`sandlot exec -i ${workspace} -- sh -c 'cat > "$0"' ${shellQuote(`${folder}/${name}`)} < ${shellQuote(name)}\``
    )
  }
  return undefined
}

/** Sizes near the cap in the cap's own unit, rounded up, so one byte over it reads as over it (4.01 MiB, not 4.00). */
export function mebibytes(bytes: number): string {
  const value = bytes / 1024 / 1024
  return `${Number.isInteger(value) ? value : (Math.ceil(value * 100) / 100).toFixed(2)} MiB`
}

/** What to run to copy a file out that is too large for the window. */
export function downloadCommand(workspace: string, path: string): string {
  return `sandlot exec ${workspace} -- cat ${shellQuote(path)} > ${shellQuote(path.slice(path.lastIndexOf('/') + 1))}`
}

/** A word for a POSIX shell: left alone when it is plain, single-quoted otherwise. */
function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./@%+=:,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`
}

/** Saves bytes as a browser download (the desktop window's session saves it as Chromium does). */
export function saveBytes(bytes: Uint8Array<ArrayBuffer>, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }))
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  // The download has taken the Blob by now; the URL would otherwise hold its memory until the page goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
