// What a plan's toolbar does: export from the server, share a link to the turn, regenerate,
// and store feedback. A turn is addressed on the server as (thread, index of its plan).

import { api } from "./api.js";
import { ask, errorMessage, view } from "./conversation.js";
import { copyText, copyTurn, downloadTurn, printPlan } from "./export.js";
import { t } from "./i18n.js";

/** The turn's index on the server: only turns with a plan were saved there. */
export function serverIndex(turn) {
  const mine = view.turns.filter((x) => x.plan && x.threadId === turn.threadId);
  const at = mine.indexOf(turn);
  return at === -1 ? mine.length : at;
}

export function shareUrl(threadId, index) {
  return `${location.origin}${location.pathname}#/t/${encodeURIComponent(threadId)}/turn/${index}`;
}

async function guarded(fn) {
  try {
    await fn();
  } catch (err) {
    view.hooks.toast(errorMessage(err));
  }
}

export function actionsFor(turn) {
  const tid = () => turn.threadId;
  return {
    copy: () =>
      guarded(async () =>
        view.hooks.toast((await copyTurn(tid(), serverIndex(turn))) ? t("copied") : t("copyFailed")),
      ),
    download: () => guarded(() => downloadTurn(tid(), serverIndex(turn), "markdown")),
    word: () => guarded(() => downloadTurn(tid(), serverIndex(turn), "docx")),
    print: (button) => printPlan(button.closest(".turn")),
    share: () =>
      guarded(async () =>
        view.hooks.toast(
          (await copyText(shareUrl(tid(), serverIndex(turn)))) ? t("linkCopied") : t("copyFailed"),
        ),
      ),
    regenerate: () => ask(turn.question),
    feedback: async (rating, comment) => {
      try {
        await api.feedback({ thread_id: tid(), turn: serverIndex(turn), rating, comment });
        view.hooks.toast(t("feedbackThanks"), true);
        return true;
      } catch (err) {
        view.hooks.toast(errorMessage(err));
        return false;
      }
    },
  };
}
