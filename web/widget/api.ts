// REST client for the visitor endpoints (/api/v1/widget/...).
import type { Article, Att, Config, Conv, Ev, Me, Slots } from './types';

export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string, public fields?: Record<string, string>) {
    super(message);
  }
}

type Headers = Record<string, string>;

export class Api {
  token = '';

  constructor(public base: string, private key: string) {}

  async call<T>(method: string, path: string, body?: unknown, extra: Headers = {}): Promise<T> {
    const headers: Headers = { ...extra };
    if (this.token) headers.Authorization = 'Bearer ' + this.token;
    let data: BodyInit | undefined;
    if (body instanceof Blob) data = body;
    else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      data = JSON.stringify(body);
    }
    const r = await fetch(this.base + '/api/v1/widget' + path, { method, headers, body: data });
    const j = await r.json().catch(() => ({}));
    if (!r.ok) throw new ApiError(r.status, j.error?.code || 'http', j.error?.message || r.statusText, j.error?.fields);
    return j as T;
  }

  private get k(): string {
    return '/' + encodeURIComponent(this.key);
  }

  config = () => this.call<Config>('GET', this.k + '/config');
  visitor = () => this.call<{ visitor_token: string }>('POST', this.k + '/visitors', {});
  conversations = () => this.call<{ conversations: Conv[] }>('GET', '/conversations');
  create = (b: Record<string, unknown>) => this.call<Conv>('POST', '/conversations', b);
  events = (id: number, after: number) =>
    this.call<{ events: Ev[] }>('GET', `/conversations/${id}/events?after=${after}`);
  handoff = (id: number, b: Me) => this.call<Conv>('POST', `/conversations/${id}/handoff`, b);
  contact = (id: number, b: Me) => this.call<Conv>('POST', `/conversations/${id}/contact`, b);
  page = (id: number, b: { url: string; title: string }) => this.call('POST', `/conversations/${id}/page`, b);
  slots = () => this.call<Slots>('GET', this.k + '/callback-slots');
  queue = (id: number) => this.call<{ estimated_wait_s: number | null }>('GET', `/conversations/${id}/queue`);
  transcript = (id: number, email: string) => this.call('POST', `/conversations/${id}/transcript`, { email });
  suggest = (query: string, language: string) =>
    this.call<{ deflection_id: number | null; articles: Article[] }>('POST', this.k + '/suggestions', { query, language });
  outcome = (id: number, outcome: string) => this.call('POST', `${this.k}/suggestions/${id}`, { outcome });
  upload = (f: File, type: string) =>
    this.call<Att>('POST', '/uploads', f, { 'Content-Type': type, 'X-Filename': encodeURIComponent(f.name) });

  /** Absolute URL of an attachment, readable by this visitor. */
  fileUrl(a: Att): string {
    const u = /^https?:/.test(a.url) ? a.url : this.base + a.url;
    return u + (u.includes('?') ? '&' : '?') + 'visitor_token=' + encodeURIComponent(this.token);
  }

  wsUrl(): string {
    return this.base.replace(/^http/, 'ws') + '/ws?visitor_token=' + encodeURIComponent(this.token);
  }
}
