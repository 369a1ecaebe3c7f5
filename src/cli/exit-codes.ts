/** Exit codes scripts can rely on; documented in docs/cli.md. */
export const ExitCode = {
  ok: 0,
  /** Anything unexpected. */
  failed: 1,
  /** A wrong command line or setting. */
  usage: 2,
  /** The server refused the request (400, 409, 422, ...). */
  refused: 3,
  /** The credential was missing, wrong or not allowed (401, 403). */
  unauthorized: 4,
  /** The thing asked for does not exist (404). */
  notFound: 5,
  /** The server could not be reached. */
  unreachable: 6,
  /** A wait ended before the wanted status, or the database reached a failed status. */
  timeout: 7,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the CLI reports with a plain message and a chosen exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
  ) {
    super(message);
  }
}
