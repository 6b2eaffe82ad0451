// Predict, then run: the `predict` slice of the page's store (store.ts) and its actions. A link
// with `ask=…` holds the playground's run back (play and step refuse, the play bar says why)
// until an answer is chosen; the question itself is decoded, shown and judged by the on-demand
// panel (components/predict/), so the first screen carries only this lock. A question that
// cannot be used (named error) does not hold the run back.
import { getHashExtras, onHashExtras } from './persistence';
import { type PredictState, sliceAccess } from './store';

const { get, set } = sliceAccess('predict');
export const getPredict = get;

/** Why Play and Step are disabled while a question waits for its answer. */
export const PREDICT_LOCK_MESSAGE = 'Answer the question first: the run starts after your prediction.';

/** True while the link's question has no answer yet (and is a usable question). */
export const isLocked = (s: PredictState = get()): boolean => s.ask !== null && s.answer === null && s.invalid === null;

export function answerQuestion(answer: { id: string; label: string }): void {
  if (get().answer === null) set({ answer });
}

/** The panel found the question unusable: say why (it shows the message) and release the run. */
export function markQuestionInvalid(message: string): void {
  set({ invalid: message });
}

/** The question fits again (e.g. the setup changed back): it holds the run until answered. */
export function clearQuestionInvalid(): void {
  if (get().invalid !== null) set({ invalid: null });
}

const fromLink = (ask: string | undefined) =>
  set({ ask: ask === undefined || ask === '' ? null : ask, answer: null, invalid: null });

/** Start after startPersistence(): the link's question, and a pasted link's. */
export function startPredictSync(): () => void {
  fromLink(getHashExtras().ask);
  return onHashExtras((e) => {
    if ((e.ask ?? null) !== get().ask) fromLink(e.ask);
  });
}
