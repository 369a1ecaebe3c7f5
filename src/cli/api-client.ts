import { CliError, ExitCode, type ExitCodeValue } from './exit-codes.js';

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

function exitCodeFor(status: number): ExitCodeValue {
  if (status === 401 || status === 403) return ExitCode.unauthorized;
  if (status === 404) return ExitCode.notFound;
  return status >= 500 ? ExitCode.failed : ExitCode.refused;
}

/** The message of an error body, in the DevOps API's `{errors:[{message}]}` shape or a plain `{message}`. */
function errorMessage(body: unknown, status: number): string {
  const b = body as { errors?: { message?: string }[]; message?: string; description?: string } | undefined;
  return b?.errors?.[0]?.message ?? b?.message ?? b?.description ?? `the server answered ${status}`;
}

interface DataApiAnswer<T> {
  status?: T;
  errors?: { errorCode: string; message: string }[];
}

/** A small typed client of Orrery's HTTP API: JSON in and out, errors as CliError with an exit code. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | undefined,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    credentialHeader: 'authorization' | 'token' = 'authorization',
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { 'user-agent': 'orrery-cli' };
    if (this.token) headers[credentialHeader] = credentialHeader === 'token' ? this.token : `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchImpl(this.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
      throw new CliError(`cannot reach ${this.baseUrl}: ${cause}`, ExitCode.unreachable);
    }
    const text = await response.text();
    let parsed: unknown = text;
    if (text && (response.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text);
    if (response.status >= 400) throw new CliError(errorMessage(parsed, response.status), exitCodeFor(response.status));
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  /**
   * Sends one Data API command (`{"<name>": {...}}`) to a data endpoint path, with the token in the Data
   * API's `Token` header, and returns its `status`. The Data API reports most errors with HTTP 200.
   */
  async dataCommand<T = unknown>(path: string, command: Record<string, unknown>): Promise<T> {
    const { body } = await this.request<DataApiAnswer<T>>('POST', path, command, 'token');
    const error = body.errors?.[0];
    if (error)
      throw new CliError(
        `${error.errorCode}: ${error.message}`,
        error.errorCode.startsWith('UNKNOWN_') ? ExitCode.notFound : ExitCode.refused,
      );
    return body.status as T;
  }

  async get<T = unknown>(path: string): Promise<T> {
    return (await this.request<T>('GET', path)).body;
  }

  async post<T = unknown>(path: string, body?: unknown): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, body);
  }

  async delete(path: string): Promise<void> {
    await this.request('DELETE', path);
  }
}
