// The console's store: state (state.ts) and the actions on it, one module per concern.
// Components import from here; the store modules import each other directly.

export * from './state';
export * from './selectors';
export * from './conversations';
export * from './outbox';
export * from './session';
export { socketRetryNow } from './socket';
export { upload } from '../api';
