// The LIFF page's words, in Japanese, English, Traditional Chinese and Thai (en is the reference; the others mirror
// it key for key, which the types enforce). Shoppers read these in LINE's in-app browser: short sentences, one
// action each, and never a developer's message (what only the merchant can fix goes to the merchant's alerts:
// app/storefront/liff-problems.ts).
import type { FlowError } from "./liff-flow";

export const PAGE_LANGUAGES = ["ja", "en", "zh-TW", "th"] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

/** A language tag (Accept-Language's, or LINE's `liff.getAppLanguage()`) as one the page speaks, else null. */
export function languageOf(tag: string | null | undefined): PageLanguage | null {
  const lower = (tag ?? "").trim().toLowerCase().replace(/_/g, "-");
  const base = lower.split("-")[0];
  if (base === "ja") return "ja";
  if (base === "en") return "en";
  if (base === "th") return "th";
  // Taiwan, Hong Kong and any Traditional script read Traditional Chinese; Simplified Chinese is not offered.
  if (base === "zh" && (/-(tw|hk|mo)\b/.test(lower) || lower.includes("hant"))) return "zh-TW";
  return null;
}

/**
 * The page's language before LINE is asked: the shopper's most preferred language the page speaks, else the
 * account's language, else Japanese.
 */
export function pageLanguage(acceptLanguage: string | null | undefined, fallback: PageLanguage | string | null = null): PageLanguage {
  const ranked = (acceptLanguage ?? "")
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag.trim(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => entry.tag && entry.tag !== "*" && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const entry of ranked) {
    const language = languageOf(entry.tag);
    if (language) return language;
  }
  return languageOf(fallback) ?? "ja";
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
      body: "Connecting with LINE is not working for this store right now. We have let the store know. Please try again later.",
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
      body: "現在このストアではLINE連携がうまく動いていません。ストアにはお知らせ済みです。時間をおいてもう一度お試しください。",
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

const zhTW: LiffTexts = {
  documentTitle: "LINE 帳號連結",
  working: "正在連結您的 LINE 帳號…",
  workingHint: "請保持此頁面開啟。",
  linkedTitle: "已完成 LINE 帳號連結",
  linkedBody: "{name} 已與您的 LINE 帳號連結。",
  addFriendPrompt: "將 {name} 加入好友，即可透過 LINE 收到優惠資訊及購物車提醒。",
  addFriend: "加入好友",
  backToStore: "返回商店",
  close: "關閉",
  retry: "再試一次",
  loginAgain: "重新登入",
  errors: {
    "intent-unknown": {
      title: "請從商店重新開始",
      body: "找不到您的連結請求。請再次點選商店中的「使用 LINE 連結」按鈕。",
    },
    "intent-expired": {
      title: "此連結已過期",
      body: "連結的有效時間為 15 分鐘。請再次點選商店中的「使用 LINE 連結」按鈕。",
    },
    "intent-used": {
      title: "此連結已被使用",
      body: "此連結已經使用過了。若要重新連結，請從商店重新開始。",
    },
    "login-cancelled": {
      title: "已取消 LINE 登入",
      body: "連結帳號需要登入 LINE。請重新登入。",
    },
    "login-failed": {
      title: "無法登入 LINE",
      body: "LINE 登入時發生錯誤。請再試一次。",
    },
    "id-token-rejected": {
      title: "無法確認您的 LINE 帳號",
      body: "您的 LINE 登入可能已過期。請重新登入。",
    },
    "no-id-token": {
      title: "無法確認您的 LINE 帳號",
      body: "此商店的 LINE 連結功能目前無法正常運作，我們已通知商店。請稍後再試。",
    },
    "line-unavailable": {
      title: "LINE 沒有回應",
      body: "目前無法連線至 LINE。請稍待幾分鐘後再試一次。",
    },
    "rate-limited": {
      title: "嘗試次數過多",
      body: "請稍候一分鐘後再試一次。",
    },
    "storage-blocked": {
      title: "此瀏覽器無法保留 LINE 登入狀態",
      body: "無痕模式或封鎖儲存空間的設定會導致無法登入。請在一般瀏覽器視窗或 LINE 應用程式中開啟此頁面。",
    },
    "init-failed": {
      title: "無法在此頁面啟動 LINE",
      body: "載入 LINE 時發生問題。請重新整理頁面。",
    },
    "account-unavailable": {
      title: "目前無法使用",
      body: "此商店目前無法使用 LINE 帳號連結。",
    },
    network: {
      title: "連線發生問題",
      body: "無法連線至伺服器。請確認網路連線後再試一次。",
    },
    unexpected: {
      title: "發生錯誤",
      body: "發生未預期的錯誤。請再試一次。",
    },
  },
  notFoundTitle: "找不到頁面",
  notFoundBody: "此 LINE 連結頁面不存在或已無法使用。請從商店重新開始。",
};

const th: LiffTexts = {
  documentTitle: "เชื่อมต่อกับ LINE",
  working: "กำลังเชื่อมต่อบัญชี LINE ของคุณ…",
  workingHint: "กรุณาเปิดหน้านี้ไว้",
  linkedTitle: "เชื่อมต่อบัญชี LINE เรียบร้อยแล้ว",
  linkedBody: "{name} เชื่อมต่อกับบัญชี LINE ของคุณแล้ว",
  addFriendPrompt: "เพิ่ม {name} เป็นเพื่อน เพื่อรับข้อเสนอพิเศษและการแจ้งเตือนสินค้าในตะกร้าทาง LINE",
  addFriend: "เพิ่มเพื่อน",
  backToStore: "กลับไปที่ร้านค้า",
  close: "ปิด",
  retry: "ลองอีกครั้ง",
  loginAgain: "เข้าสู่ระบบอีกครั้ง",
  errors: {
    "intent-unknown": {
      title: "กรุณาเริ่มใหม่จากร้านค้า",
      body: "ไม่พบคำขอเชื่อมต่อของคุณ กรุณากดปุ่ม “เชื่อมต่อกับ LINE” ในร้านค้าอีกครั้ง",
    },
    "intent-expired": {
      title: "ลิงก์นี้หมดอายุแล้ว",
      body: "ลิงก์เชื่อมต่อใช้ได้ 15 นาที กรุณากดปุ่ม “เชื่อมต่อกับ LINE” ในร้านค้าอีกครั้ง",
    },
    "intent-used": {
      title: "ลิงก์นี้ถูกใช้ไปแล้ว",
      body: "ลิงก์เชื่อมต่อนี้ถูกใช้ไปแล้ว หากต้องการเชื่อมต่ออีกครั้ง กรุณาเริ่มใหม่จากร้านค้า",
    },
    "login-cancelled": {
      title: "ยกเลิกการเข้าสู่ระบบ LINE แล้ว",
      body: "การเชื่อมต่อต้องเข้าสู่ระบบด้วย LINE กรุณาเข้าสู่ระบบอีกครั้ง",
    },
    "login-failed": {
      title: "เข้าสู่ระบบ LINE ไม่สำเร็จ",
      body: "เกิดข้อผิดพลาดระหว่างเข้าสู่ระบบ LINE กรุณาลองอีกครั้ง",
    },
    "id-token-rejected": {
      title: "ไม่สามารถยืนยันบัญชี LINE ของคุณได้",
      body: "การเข้าสู่ระบบ LINE ของคุณอาจหมดอายุแล้ว กรุณาเข้าสู่ระบบอีกครั้ง",
    },
    "no-id-token": {
      title: "ไม่สามารถยืนยันบัญชี LINE ของคุณได้",
      body: "ขณะนี้การเชื่อมต่อกับ LINE ของร้านนี้ยังใช้งานไม่ได้ เราได้แจ้งให้ร้านค้าทราบแล้ว กรุณาลองใหม่ภายหลัง",
    },
    "line-unavailable": {
      title: "LINE ไม่ตอบสนอง",
      body: "ขณะนี้ไม่สามารถเชื่อมต่อกับ LINE ได้ กรุณาลองใหม่ในอีกสักครู่",
    },
    "rate-limited": {
      title: "ลองหลายครั้งเกินไป",
      body: "กรุณารอประมาณหนึ่งนาที แล้วลองอีกครั้ง",
    },
    "storage-blocked": {
      title: "เบราว์เซอร์นี้ไม่สามารถจดจำการเข้าสู่ระบบ LINE ได้",
      body: "โหมดไม่ระบุตัวตนหรือการบล็อกพื้นที่จัดเก็บข้อมูลทำให้เข้าสู่ระบบไม่ได้ กรุณาเปิดหน้านี้ในหน้าต่างเบราว์เซอร์ปกติหรือในแอป LINE",
    },
    "init-failed": {
      title: "ไม่สามารถเริ่ม LINE ในหน้านี้ได้",
      body: "เกิดปัญหาระหว่างโหลด LINE กรุณาโหลดหน้านี้ใหม่",
    },
    "account-unavailable": {
      title: "ยังไม่พร้อมใช้งานในขณะนี้",
      body: "ร้านค้านี้ยังไม่เปิดให้เชื่อมต่อกับ LINE ในขณะนี้",
    },
    network: {
      title: "การเชื่อมต่อมีปัญหา",
      body: "ไม่สามารถติดต่อเซิร์ฟเวอร์ได้ กรุณาตรวจสอบการเชื่อมต่ออินเทอร์เน็ตแล้วลองอีกครั้ง",
    },
    unexpected: {
      title: "เกิดข้อผิดพลาด",
      body: "เกิดข้อผิดพลาดที่ไม่คาดคิด กรุณาลองอีกครั้ง",
    },
  },
  notFoundTitle: "ไม่พบหน้านี้",
  notFoundBody: "ไม่มีหน้าเชื่อมต่อ LINE นี้ หรือหน้านี้ใช้งานไม่ได้แล้ว กรุณาเริ่มใหม่จากร้านค้า",
};

export const liffTexts: Record<PageLanguage, LiffTexts> = { ja, en, "zh-TW": zhTW, th };

export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) => values[name] ?? match);
}
