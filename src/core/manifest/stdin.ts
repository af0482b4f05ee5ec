/** The name a manifest read from standard input (`-f -`) goes by in findings; it cannot be read again. */
export const STDIN_NAME = '<stdin>';
