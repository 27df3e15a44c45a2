// Entry of /widget-end.js, the widget's lazy chunk: the end-of-chat block and the
// bot's message dressing, handed to the widget that loaded it.
import { bot, EN as words } from './ui/bot';
import { ending } from './ui/rating';

export type Lazy = { ending: typeof ending; bot: typeof bot; words: typeof words };
(window as unknown as { SwitchboardEnd?: (f: Lazy) => void }).SwitchboardEnd?.({ ending, bot, words });
