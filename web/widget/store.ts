// Namespaced, failure-tolerant access to localStorage / sessionStorage.
export class Store {
  ok: boolean;

  constructor(private prefix: string) {
    this.ok = this.set('t', 1) && this.set('t', null);
  }

  private area(session?: boolean): Storage {
    return session ? sessionStorage : localStorage;
  }

  get<T>(key: string, session?: boolean): T | null {
    try {
      const v = this.area(session).getItem(this.prefix + key);
      return v ? (JSON.parse(v) as T) : null;
    } catch {
      return null;
    }
  }

  set(key: string, value: unknown, session?: boolean): boolean {
    try {
      const a = this.area(session);
      if (value == null) a.removeItem(this.prefix + key);
      else a.setItem(this.prefix + key, JSON.stringify(value));
      return true;
    } catch {
      return false;
    }
  }
}
