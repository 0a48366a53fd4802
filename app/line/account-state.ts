// What an account's connection really is. "Connected" only when LINE's webhook test passed, the response mode is
// Bot and LINE accepts the token; anything else that the merchant can fix is "needs attention" with the reasons.
// Safe to import from client code (the accounts page and home show it).

export const ATTENTION_REASONS = ["token-revoked", "webhook-test-failed", "chat-mode"] as const;
export type AttentionReason = (typeof ATTENTION_REASONS)[number];

export type AccountStateInput = {
  status: string;
  webhookTestOk: boolean | null;
  chatMode: string | null;
  tokenRevokedAt?: Date | string | null;
};

export type AccountState =
  | { kind: "connected"; reasons: [] }
  | { kind: "attention"; reasons: AttentionReason[] }
  | { kind: "disconnected"; reasons: [] };

export function attentionReasons(account: AccountStateInput): AttentionReason[] {
  if (account.status !== "connected") return [];
  const reasons: AttentionReason[] = [];
  if (account.tokenRevokedAt) reasons.push("token-revoked");
  if (account.webhookTestOk !== true) reasons.push("webhook-test-failed");
  // LINE's bot info always names the mode; an account stored before it was read has none and is not accused.
  if (account.chatMode !== null && account.chatMode !== "bot") reasons.push("chat-mode");
  return reasons;
}

export function accountState(account: AccountStateInput): AccountState {
  if (account.status !== "connected") return { kind: "disconnected", reasons: [] };
  const reasons = attentionReasons(account);
  return reasons.length ? { kind: "attention", reasons } : { kind: "connected", reasons: [] };
}
