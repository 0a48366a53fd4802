// What home warns about, safe to import from client code (the alert list renders it).

export type AlertKind =
  | "token-revoked"
  | "webhook-test-failed"
  | "chat-mode"
  | "quota-exhausted"
  | "quota-low"
  | "storefront-button"
  | "storefront-button-scope"
  | "broadcast-failed"
  | "liff-problem";

export type AlertAction =
  /** A page of this app or an outside page (LINE's consoles, the theme editor). */
  | { type: "link"; label: "fix" | "edit" | "console" | "manager" | "results" | "themeEditor" | "plan"; url: string; external?: boolean }
  /** A form post to an admin page (retest the webhook, clear the LIFF note). */
  | { type: "post"; label: "retest" | "resolved"; action: string; intent: string; id: string }
  /** Asks App Bridge for the optional theme scope. */
  | { type: "grantScope"; label: "grant"; scope: string };

export type HomeAlert = {
  key: string;
  kind: AlertKind;
  tone: "critical" | "warning";
  /** Values the alert's text names: the account, the broadcast, the LIFF problem code … */
  values: Record<string, string | number>;
  actions: AlertAction[];
};
