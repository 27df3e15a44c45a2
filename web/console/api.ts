// Small fetch wrapper: JSON in/out, CSRF header on state-changing requests,
// errors turned into ApiError, 401 reported to the app (session expired).

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    /** The whole error answer (some carry more than {error}: choose_workspace lists workspaces). */
    public data: any = null,
    /** Seconds from a Retry-After header (429), if any. */
    public retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken = '';
let unauthorizedHandler: (() => void) | null = null;
let twoFactorHandler: (() => void) | null = null;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when any request (other than login / the initial /me probe) gets 401. */
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

/** Called when a request gets 403 two_factor_required: the workspace requires 2FA and this agent has none yet. */
export function onTwoFactorRequired(handler: () => void): void {
  twoFactorHandler = handler;
}

export interface RequestOptions {
  /** Do not report 401 to the unauthorized handler (login form, first /me probe). */
  quiet401?: boolean;
  headers?: Record<string, string>;
  /** Raw body (uploads); when set, `body` JSON is ignored. */
  raw?: Blob;
  signal?: AbortSignal;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  let payload: BodyInit | undefined;
  if (opts.raw) {
    payload = opts.raw;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (UNSAFE.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch('/api/v1' + path, {
      method,
      headers,
      body: payload,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'network error');
  }

  const text = await res.text().catch(() => '');
  let data: any = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const code: string = data?.error?.code ?? httpCode(res.status);
    const message: string = data?.error?.message ?? res.statusText ?? code;
    if (res.status === 401 && !opts.quiet401 && unauthorizedHandler) unauthorizedHandler();
    if (res.status === 403 && code === 'two_factor_required' && twoFactorHandler) twoFactorHandler();
    const ra = Number(res.headers.get('Retry-After'));
    throw new ApiError(res.status, code, message, data, Number.isFinite(ra) && ra > 0 ? ra : null);
  }
  return data as T;
}

function httpCode(status: number): string {
  switch (status) {
    case 400: return 'bad_request';
    case 401: return 'unauthenticated';
    case 403: return 'forbidden';
    case 404: return 'not_found';
    case 409: return 'conflict';
    case 413: return 'too_large';
    case 415: return 'unsupported_type';
    case 429: return 'rate_limited';
    default: return status >= 500 ? 'server_error' : 'http_' + status;
  }
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts),
  post: <T>(path: string, body: unknown = {}, opts?: RequestOptions) => request<T>('POST', path, body, opts),
  put: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PUT', path, body, opts),
  patch: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PATCH', path, body, opts),
  del: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, undefined, opts),
};

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/**
 * As upload(), reporting the share sent (0..1) as it goes: an XMLHttpRequest, fetch has no
 * upload progress. Errors are the same ApiErrors (413 too large, 415 type not accepted).
 */
export function uploadWithProgress<T>(file: File, onProgress: (share: number) => void, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/uploads');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.setRequestHeader('X-Filename', encodeURIComponent(file.name || 'file'));
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => e.lengthComputable && e.total > 0 && onProgress(Math.min(1, e.loaded / e.total));
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    xhr.onload = () => {
      let data: any = null;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        data = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(data as T);
        return;
      }
      const code: string = data?.error?.code ?? httpCode(xhr.status);
      if (xhr.status === 401 && unauthorizedHandler) unauthorizedHandler();
      reject(new ApiError(xhr.status, code, data?.error?.message ?? xhr.statusText ?? code, data));
    };
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(file);
  });
}

export function upload<T>(file: File): Promise<T> {
  return request<T>('POST', '/uploads', undefined, {
    raw: file,
    headers: {
      'Content-Type': file.type || 'application/octet-stream',
      'X-Filename': encodeURIComponent(file.name || 'file'),
    },
  });
}
