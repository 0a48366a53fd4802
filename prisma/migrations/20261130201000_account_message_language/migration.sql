-- The language of the account's messages to friends (ja, en, zh-TW or th): cart-reminder templates start in it
-- and the LIFF page falls back to it. Set at connect from the shop locale and time zone. Existing accounts get
-- the same inference once, here (app/line/message-language.ts), and their stored templates are never rewritten.
ALTER TABLE "LineAccount" ADD COLUMN "messageLanguage" TEXT NOT NULL DEFAULT 'ja';

UPDATE "LineAccount" a SET "messageLanguage" = CASE
    WHEN lower(s.locale) IN ('zh-tw', 'zh-hk') OR lower(s.locale) LIKE 'zh-hant%' THEN 'zh-TW'
    WHEN lower(s.locale) LIKE 'th%' THEN 'th'
    WHEN s."timeZone" = 'Asia/Taipei' THEN 'zh-TW'
    WHEN s."timeZone" = 'Asia/Bangkok' THEN 'th'
    WHEN s."timeZone" = 'Asia/Tokyo' OR lower(s.locale) LIKE 'ja%' THEN 'ja'
    WHEN lower(s.locale) LIKE 'en%' THEN 'en'
    ELSE 'ja'
  END
FROM "Shop" s WHERE s.shop = a.shop;
