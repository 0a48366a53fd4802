// The greeting page's shapes, shared by its route and its form (no server code: the browser bundle imports it).

/** What the form edits and what is stored. */
export type GreetingValues = { enabled: boolean; messages: string[] };

/** The page action's answer: the stored greeting, or i18n keys of errors by field ("messages.2", "form"). */
export type GreetingAnswer =
  | { ok: true; greeting: GreetingValues }
  | { ok: false; errors: Record<string, string> };
