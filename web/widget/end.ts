// Entry of /widget-end.js: hands the end-of-chat block to the widget that loaded it.
import { ending } from './ui/rating';

(window as unknown as { SwitchboardEnd?: (f: typeof ending) => void }).SwitchboardEnd?.(ending);
