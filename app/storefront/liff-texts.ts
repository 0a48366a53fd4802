// The LIFF page's words, in Japanese and English (en is the reference; ja mirrors it key for key, which the
// types enforce). Shoppers read these in LINE's in-app browser: short sentences, one action each.
import type { FlowError } from "./liff-flow";

export type PageLanguage = "ja" | "en";

/** The shopper's most preferred language decides: Japanese, else English (also for Thai, Chinese…). */
export function pageLanguage(acceptLanguage: string | null | undefined): PageLanguage {
  const ranked = (acceptLanguage ?? "")
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => entry.tag && entry.tag !== "*" && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.tag.split("-")[0] === "ja" ? "ja" : "en";
}

type ErrorText = { title: string; body: string };

const en = {
  documentTitle: "Connect with LINE",
  working: "Connecting your LINE account…",
  workingHint: "Please keep this page open.",
  linkedTitle: "Your LINE account is connected",
  linkedBody: "{name} and your LINE account are now linked.",
  addFriendPrompt: "Add {name} as a friend to get offers and cart reminders on LINE.",
  addFriend: "Add friend",
  backToStore: "Back to the store",
  close: "Close",
  retry: "Try again",
  loginAgain: "Log in again",
  detail: "Details: {detail}",
  errors: {
    "intent-unknown": {
      title: "Please start again from the store",
      body: "We could not find your connection request. Please tap “Connect with LINE” in the store again.",
    },
    "intent-expired": {
      title: "This link has expired",
      body: "Connection links are valid for 15 minutes. Please tap “Connect with LINE” in the store again.",
    },
    "intent-used": {
      title: "This link has already been used",
      body: "This connection link was already used. To connect again, please start again from the store.",
    },
    "login-cancelled": {
      title: "LINE Login was cancelled",
      body: "To connect, you need to log in with LINE. Please log in again.",
    },
    "login-failed": {
      title: "LINE Login did not work",
      body: "LINE Login returned an error. Please try again.",
    },
    "id-token-rejected": {
      title: "We could not confirm your LINE account",
      body: "Your LINE login may have expired. Please log in again.",
    },
    "no-id-token": {
      title: "We could not confirm your LINE account",
      body: "This LIFF app does not have the “openid” scope, so LINE does not tell us who you are. Please let the store know.",
    },
    "line-unavailable": {
      title: "LINE is not responding",
      body: "LINE could not be reached just now. Please try again in a few minutes.",
    },
    "rate-limited": {
      title: "Too many attempts",
      body: "Please wait a minute, then try again.",
    },
    "storage-blocked": {
      title: "This browser cannot keep your LINE login",
      body: "Private (incognito) browsing or blocked storage prevents the login. Please open this page in a normal browser window or in the LINE app.",
    },
    "init-failed": {
      title: "LINE could not start on this page",
      body: "Something went wrong while loading LINE. Please reload the page.",
    },
    "account-unavailable": {
      title: "Not available right now",
      body: "Connecting with LINE is not available for this store at the moment.",
    },
    network: {
      title: "Connection problem",
      body: "We could not reach the server. Please check your connection and try again.",
    },
    unexpected: {
      title: "Something went wrong",
      body: "An unexpected error occurred. Please try again.",
    },
  } satisfies Record<FlowError, ErrorText>,
  notFoundTitle: "Page not found",
  notFoundBody: "This LINE connection page does not exist or is no longer available. Please start again from the store.",
};

export type LiffTexts = typeof en;

const ja: LiffTexts = {
  documentTitle: "LINE連携",
  working: "LINEと連携しています…",
  workingHint: "このままお待ちください。",
  linkedTitle: "連携が完了しました",
  linkedBody: "{name}とLINEアカウントがつながりました。",
  addFriendPrompt: "{name}を友だち追加すると、お得な情報やカートのお知らせをLINEで受け取れます。",
  addFriend: "友だち追加",
  backToStore: "ストアに戻る",
  close: "閉じる",
  retry: "もう一度試す",
  loginAgain: "もう一度ログイン",
  detail: "詳細：{detail}",
  errors: {
    "intent-unknown": {
      title: "ストアからやり直してください",
      body: "連携の情報が見つかりませんでした。お手数ですが、ストアの「LINEで連携」ボタンからもう一度お試しください。",
    },
    "intent-expired": {
      title: "有効期限が切れました",
      body: "連携リンクの有効期限（15分）が切れました。ストアの「LINEで連携」ボタンからもう一度お試しください。",
    },
    "intent-used": {
      title: "このリンクはすでに使用されています",
      body: "この連携リンクは使用済みです。もう一度連携する場合は、ストアからやり直してください。",
    },
    "login-cancelled": {
      title: "LINEログインがキャンセルされました",
      body: "連携するにはLINEへのログインが必要です。もう一度ログインしてください。",
    },
    "login-failed": {
      title: "LINEにログインできませんでした",
      body: "LINEログインでエラーが発生しました。もう一度お試しください。",
    },
    "id-token-rejected": {
      title: "LINEアカウントを確認できませんでした",
      body: "ログインの有効期限が切れている可能性があります。もう一度ログインしてください。",
    },
    "no-id-token": {
      title: "LINEアカウントを確認できません",
      body: "このLIFFアプリに「openid」スコープが設定されていないため、LINEアカウントを確認できません。お手数ですが、ストアにお知らせください。",
    },
    "line-unavailable": {
      title: "LINEに接続できません",
      body: "現在LINEに接続できません。しばらくしてからもう一度お試しください。",
    },
    "rate-limited": {
      title: "アクセスが集中しています",
      body: "1分ほど待ってから、もう一度お試しください。",
    },
    "storage-blocked": {
      title: "このブラウザではLINEログインを保持できません",
      body: "プライベートブラウズ（シークレットモード）やストレージのブロックのため、ログインできません。通常のブラウザのウィンドウか、LINEアプリで開いてください。",
    },
    "init-failed": {
      title: "LINEを読み込めませんでした",
      body: "LINEの読み込み中にエラーが発生しました。ページを再読み込みしてください。",
    },
    "account-unavailable": {
      title: "現在ご利用いただけません",
      body: "このストアでは現在LINE連携をご利用いただけません。",
    },
    network: {
      title: "通信エラー",
      body: "サーバーに接続できませんでした。電波の良い場所でもう一度お試しください。",
    },
    unexpected: {
      title: "エラーが発生しました",
      body: "予期しないエラーが発生しました。もう一度お試しください。",
    },
  },
  notFoundTitle: "ページが見つかりません",
  notFoundBody: "このLINE連携ページは存在しないか、現在ご利用いただけません。ストアからもう一度お試しください。",
};

export const liffTexts: Record<PageLanguage, LiffTexts> = { ja, en };

export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) => values[name] ?? match);
}
