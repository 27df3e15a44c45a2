// Entry of /widget-end.js, the widget's lazy chunk: the end-of-chat block, the bot's
// message dressing, the visitor's past conversations and the offline form's
// article suggestions, handed to the widget that loaded it.
import { bot } from './ui/bot';
import { deflect } from './ui/deflect';
import { past } from './ui/past';
import { ending } from './ui/rating';

export type Lazy = { ending: typeof ending; bot: typeof bot; deflect: typeof deflect; past: typeof past };
(window as unknown as { SwitchboardEnd?: (f: Lazy) => void }).SwitchboardEnd?.({ ending, bot, deflect, past });
