// LINE's error answers in the merchant's language (app/line/line-errors.server.ts picks the key). Each says what
// happened and what to do; LINE's own words are shown below it as the detail.
export const en = {
  "line.error.invalidBody": "LINE found errors in what was sent (listed below). Correct the message and send it again.",
  "line.error.badRequest": "LINE refused the request as invalid. Check the details below and correct what LINE names.",
  "line.error.replyToken": "The reply token had expired or was already used, so LINE did not deliver the reply. Send it as a push message instead.",
  "line.error.credentials": "LINE did not accept the channel ID and secret. Check both in the LINE Developers Console.",
  "line.error.unauthorized":
    "LINE did not accept the channel access token: it is wrong, expired or was revoked. Check the account on the LINE accounts page.",
  "line.error.forbidden":
    "Your LINE Official Account is not allowed to do this: the feature needs another plan or a permission from LINE. Check the plan in LINE Official Account Manager.",
  "line.error.notFound":
    "LINE does not know this user or item: the friend may have blocked the account, never added it, or the item was deleted in LINE. Check the friend's status; nothing is sent to them until they add the account again.",
  "line.error.alreadyAccepted": "LINE had already accepted this request; it was not sent again. Nothing to do: the message was delivered once.",
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
  "line.error.invalidRecipient":
    "LINE did not accept the recipient: the LINE user ID is not valid for this channel (the friend may belong to another LINE account). Check which LINE account the friend follows, and send from that account.",
  "line.error.webhookEndpoint": "LINE has no webhook URL for this channel. Reconnect the account on the LINE accounts page so the app sets it again.",
  "line.error.richMenuLimit": "This channel already has the most rich menus LINE allows (1,000). Delete rich menus you no longer use, then publish again.",
  "line.error.richMenuImage":
    "LINE did not accept the rich menu image. Use a JPEG or PNG of the menu's exact size (at most 1 MB) and publish again.",
  "line.error.unsupportedMedia": "LINE does not accept this file type. Upload a JPEG or PNG image and try again.",
  "line.error.unknown": "LINE refused: an answer we do not recognise (HTTP {status}). If it happens again, contact support with LINE's words shown below.",
  "line.error.unknownNoStatus": "LINE refused: an answer we do not recognise. If it happens again, contact support with LINE's words shown below.",
} as const;

export const ja: Record<keyof typeof en, string> = {
  "line.error.invalidBody": "送信内容に LINE がエラーを検出しました（下記）。メッセージを修正して再送してください。",
  "line.error.badRequest": "LINE がリクエストを不正として受け付けませんでした。下記の詳細を確認し、LINE が指摘した箇所を修正してください。",
  "line.error.replyToken": "応答トークンが期限切れか使用済みのため、LINE は応答メッセージを届けませんでした。プッシュメッセージで送ってください。",
  "line.error.credentials": "LINE がチャネルIDとチャネルシークレットを受け付けませんでした。LINE Developers コンソールで両方をご確認ください。",
  "line.error.unauthorized":
    "LINE がチャネルアクセストークンを受け付けませんでした（誤り・期限切れ・失効）。「LINEアカウント」ページで設定をご確認ください。",
  "line.error.forbidden":
    "この LINE公式アカウントではこの操作が許可されていません（別のプランまたは LINE からの権限が必要です）。LINE Official Account Manager でプランをご確認ください。",
  "line.error.notFound":
    "LINE にこのユーザーまたは項目が見つかりません（友だちがブロックした・友だち追加していない・LINE 側で削除された可能性があります）。友だちの状態をご確認ください。再び友だち追加されるまで、この友だちには送信されません。",
  "line.error.alreadyAccepted": "LINE はこのリクエストをすでに受け付けていたため、再送はしていません。対応は不要です（メッセージは1回だけ届いています）。",
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
  "line.error.invalidRecipient":
    "LINE が送信先を受け付けませんでした。この LINE ユーザーIDはこのチャネルでは無効です（別の LINE アカウントの友だちの可能性があります）。友だちがどの LINE アカウントを友だち追加しているかを確認し、そのアカウントから送信してください。",
  "line.error.webhookEndpoint": "このチャネルに Webhook URL が設定されていません。「LINEアカウント」ページでアカウントを再接続すると、アプリが設定し直します。",
  "line.error.richMenuLimit": "このチャネルのリッチメニュー数が LINE の上限（1,000件）に達しています。使っていないリッチメニューを削除してから、もう一度公開してください。",
  "line.error.richMenuImage":
    "LINE がリッチメニュー画像を受け付けませんでした。メニューと同じサイズの JPEG または PNG（1MB 以下）を使って、もう一度公開してください。",
  "line.error.unsupportedMedia": "LINE はこの形式のファイルを受け付けません。JPEG または PNG の画像をアップロードして、もう一度お試しください。",
  "line.error.unknown": "LINEが受け付けませんでした：想定外の応答です（HTTP {status}）。繰り返し起きる場合は、下記の LINE からの応答を添えてサポートにお問い合わせください。",
  "line.error.unknownNoStatus": "LINEが受け付けませんでした：想定外の応答です。繰り返し起きる場合は、下記の LINE からの応答を添えてサポートにお問い合わせください。",
};
