// Shopper-facing texts of the LIFF form page, in the LINE app's language (its Accept-Language): Japanese,
// English, Traditional Chinese and Thai. Safe for the browser.
import type { FieldError } from "./model";

export const FORM_LANGUAGES = ["ja", "en", "zh-TW", "th"] as const;
export type FormLanguage = (typeof FORM_LANGUAGES)[number];

/** The first language of Accept-Language that the form speaks; zh-Hant/zh-HK read as zh-TW; else Japanese. */
export function formLanguage(acceptLanguage: string | null | undefined): FormLanguage {
  for (const part of (acceptLanguage ?? "").split(",")) {
    const tag = part.split(";")[0].trim().toLowerCase();
    if (tag.startsWith("ja")) return "ja";
    if (tag.startsWith("en")) return "en";
    if (tag === "zh-tw" || tag === "zh-hk" || tag.startsWith("zh-hant")) return "zh-TW";
    if (tag.startsWith("th")) return "th";
  }
  return "ja";
}

type Texts = {
  required: string;
  optional: string;
  submit: string;
  sending: string;
  loading: string;
  select: string;
  postalCode: string;
  address: string;
  notOpen: string;
  closed: string;
  answered: string;
  fixErrors: string;
  loginFailed: string;
  failed: string;
  thanks: string;
  errors: Record<FieldError, string>;
};

const ja: Texts = {
  required: "必須",
  optional: "任意",
  submit: "送信する",
  sending: "送信中…",
  loading: "読み込み中…",
  select: "選択してください",
  postalCode: "郵便番号（7桁）",
  address: "住所",
  notOpen: "このフォームはまだ受付を開始していません。",
  closed: "このフォームの受付は終了しました。",
  answered: "このフォームには回答済みです。ご協力ありがとうございました。",
  fixErrors: "入力内容を確認してください。",
  loginFailed: "LINEでのログインを確認できませんでした。もう一度お試しください。",
  failed: "送信できませんでした。時間をおいてもう一度お試しください。",
  thanks: "ご回答ありがとうございました。",
  errors: {
    required: "入力してください。",
    tooShort: "文字数が足りません。",
    tooLong: "文字数が多すぎます。",
    kana: "全角カタカナで入力してください。",
    hiragana: "ひらがなで入力してください。",
    halfWidthDigits: "半角数字で入力してください。",
    alphanumeric: "半角英数字で入力してください。",
    choice: "選択肢から選んでください。",
    date: "正しい日付を入力してください。",
    time: "正しい時刻を入力してください。",
    number: "数値を入力してください。",
    numberRange: "範囲内の数値を入力してください。",
    email: "正しいメールアドレスを入力してください。",
    phone: "正しい電話番号を入力してください（例：090-1234-5678）。",
    postalCode: "郵便番号を7桁で入力してください（例：150-0001）。",
    consent: "同意が必要です。",
  },
};

const en: Texts = {
  required: "Required",
  optional: "Optional",
  submit: "Submit",
  sending: "Sending…",
  loading: "Loading…",
  select: "Select",
  postalCode: "Postal code (7 digits)",
  address: "Address",
  notOpen: "This form is not open yet.",
  closed: "This form is closed.",
  answered: "You have already answered this form. Thank you.",
  fixErrors: "Please check your answers.",
  loginFailed: "We could not confirm your LINE login. Please try again.",
  failed: "Your answer could not be sent. Please try again later.",
  thanks: "Thank you for your answer.",
  errors: {
    required: "Please fill this in.",
    tooShort: "Too short.",
    tooLong: "Too long.",
    kana: "Please use full-width katakana.",
    hiragana: "Please use hiragana.",
    halfWidthDigits: "Please use half-width digits.",
    alphanumeric: "Please use letters and digits only.",
    choice: "Please pick one of the choices.",
    date: "Please enter a valid date.",
    time: "Please enter a valid time.",
    number: "Please enter a number.",
    numberRange: "Please enter a number in the allowed range.",
    email: "Please enter a valid e-mail address.",
    phone: "Please enter a valid phone number (e.g. 090-1234-5678).",
    postalCode: "Please enter a 7-digit postal code (e.g. 150-0001).",
    consent: "Your consent is required.",
  },
};

const zhTW: Texts = {
  required: "必填",
  optional: "選填",
  submit: "送出",
  sending: "傳送中…",
  loading: "載入中…",
  select: "請選擇",
  postalCode: "郵遞區號（7位數）",
  address: "地址",
  notOpen: "此表單尚未開放填寫。",
  closed: "此表單已截止。",
  answered: "您已填寫過此表單，感謝您的協助。",
  fixErrors: "請確認填寫內容。",
  loginFailed: "無法確認您的LINE登入，請再試一次。",
  failed: "無法送出，請稍後再試。",
  thanks: "感謝您的回覆。",
  errors: {
    required: "請填寫此欄位。",
    tooShort: "字數不足。",
    tooLong: "字數過多。",
    kana: "請以全形片假名填寫。",
    hiragana: "請以平假名填寫。",
    halfWidthDigits: "請以半形數字填寫。",
    alphanumeric: "請以半形英數字填寫。",
    choice: "請從選項中選擇。",
    date: "請輸入正確的日期。",
    time: "請輸入正確的時間。",
    number: "請輸入數字。",
    numberRange: "請輸入範圍內的數字。",
    email: "請輸入正確的電子郵件地址。",
    phone: "請輸入正確的電話號碼（例：090-1234-5678）。",
    postalCode: "請輸入7位數郵遞區號（例：150-0001）。",
    consent: "需要您的同意。",
  },
};

const th: Texts = {
  required: "จำเป็น",
  optional: "ไม่บังคับ",
  submit: "ส่ง",
  sending: "กำลังส่ง…",
  loading: "กำลังโหลด…",
  select: "โปรดเลือก",
  postalCode: "รหัสไปรษณีย์ (7 หลัก)",
  address: "ที่อยู่",
  notOpen: "แบบฟอร์มนี้ยังไม่เปิดรับคำตอบ",
  closed: "แบบฟอร์มนี้ปิดรับคำตอบแล้ว",
  answered: "คุณได้ตอบแบบฟอร์มนี้แล้ว ขอบคุณค่ะ",
  fixErrors: "โปรดตรวจสอบคำตอบของคุณ",
  loginFailed: "ไม่สามารถยืนยันการเข้าสู่ระบบ LINE ได้ โปรดลองอีกครั้ง",
  failed: "ส่งคำตอบไม่สำเร็จ โปรดลองใหม่ภายหลัง",
  thanks: "ขอบคุณสำหรับคำตอบของคุณ",
  errors: {
    required: "โปรดกรอกข้อมูลนี้",
    tooShort: "สั้นเกินไป",
    tooLong: "ยาวเกินไป",
    kana: "โปรดใช้ตัวอักษรคาตาคานะแบบเต็มความกว้าง",
    hiragana: "โปรดใช้ตัวอักษรฮิรางานะ",
    halfWidthDigits: "โปรดใช้ตัวเลขแบบครึ่งความกว้าง",
    alphanumeric: "โปรดใช้ตัวอักษรและตัวเลขเท่านั้น",
    choice: "โปรดเลือกจากตัวเลือก",
    date: "โปรดกรอกวันที่ให้ถูกต้อง",
    time: "โปรดกรอกเวลาให้ถูกต้อง",
    number: "โปรดกรอกตัวเลข",
    numberRange: "โปรดกรอกตัวเลขในช่วงที่กำหนด",
    email: "โปรดกรอกอีเมลให้ถูกต้อง",
    phone: "โปรดกรอกหมายเลขโทรศัพท์ให้ถูกต้อง (เช่น 090-1234-5678)",
    postalCode: "โปรดกรอกรหัสไปรษณีย์ 7 หลัก (เช่น 150-0001)",
    consent: "จำเป็นต้องได้รับความยินยอมจากคุณ",
  },
};

export const liffFormTexts: Record<FormLanguage, Texts> = { ja, en, "zh-TW": zhTW, th };
