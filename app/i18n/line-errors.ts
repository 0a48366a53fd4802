// LINE's error answers in the merchant's language (app/line/line-errors.server.ts picks the key). Each says what
// happened and what to do; LINE's own words are shown below it as the detail.
export const en = {
  "line.error.invalidBody": "LINE found errors in what was sent (listed below). Correct the message and send it again.",
  "line.error.badRequest": "LINE refused the request as invalid.",
  "line.error.replyToken": "The reply token had expired or was already used, so LINE did not deliver the reply. Send it as a push message instead.",
  "line.error.credentials": "LINE did not accept the channel ID and secret. Check both in the LINE Developers Console.",
  "line.error.unauthorized":
    "LINE did not accept the channel access token: it is wrong, expired or was revoked. Check the account on the LINE accounts page.",
  "line.error.forbidden":
    "Your LINE Official Account is not allowed to do this: the feature needs another plan or a permission from LINE. Check the plan in LINE Official Account Manager.",
  "line.error.notFound": "LINE does not know this user or item. The friend may have blocked the account or never added it.",
  "line.error.alreadyAccepted": "LINE had already accepted this request; it was not sent again.",
  "line.error.tooLarge": "The request is larger than LINE accepts (2 MB). Send fewer or smaller messages.",
  "line.error.rateLimited":
    "This channel made more requests than LINE allows per second. Try again in a moment (sends in progress pause briefly and go on by themselves).",
  "line.error.monthlyLimit":
    "This LINE Official Account has used up its messages for this month. Sending resumes next month, or after raising the limit or changing plan in LINE Official Account Manager.",
  "line.error.tooManyRequests": "LINE refused the request for now (too many requests). Try again later.",
  "line.error.unavailable": "LINE had a problem on its side. Try again in a moment.",
  "line.error.timeout": "LINE did not answer in time. Try again in a moment.",
  "line.error.network": "LINE could not be reached. Try again in a moment.",
  "line.error.other": "LINE refused the request.",
  "line.error.lineSaid": "LINE said: {detail}",
} as const;

export const ja: Record<keyof typeof en, string> = {
  "line.error.invalidBody": "送信内容に LINE がエラーを検出しました（下記）。メッセージを修正して再送してください。",
  "line.error.badRequest": "LINE がリクエストを不正として受け付けませんでした。",
  "line.error.replyToken": "応答トークンが期限切れか使用済みのため、LINE は応答メッセージを届けませんでした。プッシュメッセージで送ってください。",
  "line.error.credentials": "LINE がチャネルIDとチャネルシークレットを受け付けませんでした。LINE Developers コンソールで両方をご確認ください。",
  "line.error.unauthorized":
    "LINE がチャネルアクセストークンを受け付けませんでした（誤り・期限切れ・失効）。「LINEアカウント」ページで設定をご確認ください。",
  "line.error.forbidden":
    "この LINE公式アカウントではこの操作が許可されていません（別のプランまたは LINE からの権限が必要です）。LINE Official Account Manager でプランをご確認ください。",
  "line.error.notFound": "LINE にこのユーザーまたは項目が見つかりません。友だちがブロックしたか、友だち追加していない可能性があります。",
  "line.error.alreadyAccepted": "LINE はこのリクエストをすでに受け付けていたため、再送はしていません。",
  "line.error.tooLarge": "リクエストが LINE の上限（2MB）を超えています。メッセージの数か大きさを減らしてください。",
  "line.error.rateLimited":
    "このチャネルからのリクエストが LINE の毎秒の上限を超えました。少し待ってから再度お試しください（送信中の配信は一時停止したあと自動で続きます）。",
  "line.error.monthlyLimit":
    "この LINE公式アカウントは今月のメッセージ通数の上限に達しました。来月になるか、LINE Official Account Manager で上限の変更またはプランの変更をすると送信を再開できます。",
  "line.error.tooManyRequests": "LINE が現在リクエストを受け付けていません（リクエスト過多）。時間をおいて再度お試しください。",
  "line.error.unavailable": "LINE 側で問題が発生しました。しばらくしてから再度お試しください。",
  "line.error.timeout": "LINE から時間内に応答がありませんでした。しばらくしてから再度お試しください。",
  "line.error.network": "LINE に接続できませんでした。しばらくしてから再度お試しください。",
  "line.error.other": "LINE がリクエストを受け付けませんでした。",
  "line.error.lineSaid": "LINE からの応答：{detail}",
};
