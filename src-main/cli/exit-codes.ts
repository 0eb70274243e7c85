/** CONVENTIONS.md: 0 success, 1 failure, 2 bad usage; `exec` and `shell` pass the command's own code through. */
export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2
