import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { errorText } from '../store';
import { searchContacts, type ContactProfile } from './contactsApi';

/** Search results that follow the typing after a short pause; `more` loads the next page. */
export function useContactSearch(q: string, delay = 250) {
  const [items, setItems] = useState<ContactProfile[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      searchContacts(q)
        .then((page) => {
          if (mine !== seq.current) return;
          setItems(page.items);
          setNext(page.next);
          setError(null);
        })
        .catch((err) => mine === seq.current && !(err instanceof ApiError && err.status === 401) && setError(errorText(err)));
    }, delay);
    return () => clearTimeout(timer);
  }, [q]);
  async function more() {
    if (next == null) return;
    const mine = seq.current;
    const page = await searchContacts(q, next);
    if (mine !== seq.current) return;
    setItems((cur) => [...(cur ?? []), ...page.items]);
    setNext(page.next);
  }
  return { items, next, error, more };
}

