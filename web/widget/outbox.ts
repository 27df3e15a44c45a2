// Messages not yet acknowledged by the server. Always re-read from storage
// before changing it, so two tabs of the same site never erase each other's items.
import type { Store } from './store';
import type { OutItem } from './types';

export class Outbox {
  private mem: OutItem[] = [];

  constructor(private st: Store) {}

  list(): OutItem[] {
    if (this.st.ok) this.mem = this.st.get<OutItem[]>('outbox') || [];
    return this.mem;
  }

  private save(items: OutItem[]): void {
    this.mem = items;
    this.st.set('outbox', items.length ? items : null);
  }

  add(it: OutItem): void {
    this.save([...this.list(), it]);
  }

  update(it: OutItem): void {
    this.save(this.list().map((x) => (x.cid === it.cid ? it : x)));
  }

  /** Returns true if the item was there. */
  remove(cid: string): boolean {
    const items = this.list();
    const rest = items.filter((x) => x.cid !== cid);
    if (rest.length === items.length) return false;
    this.save(rest);
    return true;
  }
}
