/**
 * A reason the server cannot start that the operator can fix (a busy port, an unreachable store,
 * an unreadable file, a key that does not match the store). Its message names what is wrong and is
 * printed alone, without a stack.
 */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}
