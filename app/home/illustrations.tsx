// Our own drawings: where each value sits in LINE Developers console (one per channel), and the first-run picture
// of the accounts page. Inline SVG, so nothing loads from outside and nothing waits for a load event to show.
import { useT } from "../i18n/i18n";

const GREEN = "#06c755";
const MARK = "#e8590c";

function Field(props: { y: number; label: string; value: string; marked?: number; copy: string }) {
  return (
    <g>
      <text x="128" y={props.y + 12} fontSize="10" fill="#4a4a4a">
        {props.label}
      </text>
      <rect x="128" y={props.y + 17} width="150" height="16" rx="3" fill="#f4f6f8" stroke="#d2d5d8" />
      <text x="134" y={props.y + 29} fontSize="9" fill="#8a8a8a" fontFamily="monospace">
        {props.value}
      </text>
      <rect x="284" y={props.y + 17} width="46" height="16" rx="3" fill="#ffffff" stroke="#d2d5d8" />
      <text x="307" y={props.y + 29} fontSize="9" fill="#4a4a4a" textAnchor="middle">
        {props.copy}
      </text>
      {props.marked ? (
        <g>
          <rect x="122" y={props.y} width="214" height="38" rx="6" fill="none" stroke={MARK} strokeWidth="2" strokeDasharray="5 3" />
          <circle cx="344" cy={props.y + 19} r="9" fill={MARK} />
          <text x="344" y={props.y + 23} fontSize="10" fill="#ffffff" textAnchor="middle" fontWeight="bold">
            {props.marked}
          </text>
        </g>
      ) : null}
    </g>
  );
}

/** A console window: the provider on the left, the channel's tabs, and the values to copy marked 1, 2, 3. */
export function ChannelDrawing({ channel }: { channel: "messaging" | "login" }) {
  const t = useT();
  const messaging = channel === "messaging";
  const secondTab = messaging ? t("home.drawing.messagingTab") : t("home.drawing.liffTab");
  return (
    <svg viewBox="0 0 360 210" width="100%" role="img" aria-label={messaging ? t("home.drawing.messaging.alt") : t("home.drawing.login.alt")} style={{ maxWidth: 440, display: "block" }}>
      <rect x="1" y="1" width="358" height="208" rx="10" fill="#ffffff" stroke="#c9cccf" />
      <path d="M1 11a10 10 0 0 1 10-10h338a10 10 0 0 1 10 10v13H1z" fill="#f1f2f4" />
      <circle cx="14" cy="12" r="3.5" fill="#ff6b5f" />
      <circle cx="26" cy="12" r="3.5" fill="#ffbd2e" />
      <circle cx="38" cy="12" r="3.5" fill="#28c840" />
      <rect x="1" y="24" width="108" height="185" fill="#f7f8f9" />
      <rect x="10" y="34" width="90" height="14" rx="3" fill={GREEN} />
      <text x="14" y="44" fontSize="9" fill="#ffffff" fontWeight="bold">
        LINE Developers
      </text>
      <text x="12" y="66" fontSize="9" fill="#6d7175">
        {t("home.drawing.provider")}
      </text>
      <rect x="10" y="72" width="90" height="20" rx="4" fill={messaging ? "#e3f1df" : "#ffffff"} stroke="#d2d5d8" />
      <rect x="16" y="78" width="8" height="8" rx="2" fill={GREEN} />
      <rect x="30" y="79" width="58" height="6" rx="3" fill="#9aa0a6" />
      <rect x="10" y="98" width="90" height="20" rx="4" fill={messaging ? "#ffffff" : "#e3f1df"} stroke="#d2d5d8" />
      <rect x="16" y="104" width="8" height="8" rx="2" fill="#3c8dde" />
      <rect x="30" y="105" width="50" height="6" rx="3" fill="#9aa0a6" />
      <rect x="122" y="34" width="22" height="22" rx="5" fill={messaging ? GREEN : "#3c8dde"} />
      <rect x="152" y="40" width="110" height="9" rx="4" fill="#5c5f62" />
      <text x="128" y="76" fontSize="10" fill={GREEN} fontWeight="bold">
        {t("home.drawing.basic")}
      </text>
      <rect x="122" y="81" width="90" height="2" fill={GREEN} />
      <text x="222" y="76" fontSize="10" fill="#6d7175">
        {secondTab}
      </text>
      <rect x="122" y="83" width="226" height="1" fill="#e1e3e5" />
      <Field y={92} label={t("home.drawing.channelId")} value="1657000000" marked={1} copy={t("home.drawing.copy")} />
      {messaging ? (
        <Field y={136} label={t("home.drawing.channelSecret")} value="••••••••••••" marked={2} copy={t("home.drawing.copy")} />
      ) : (
        <>
          <Field y={136} label={t("home.drawing.channelSecret")} value="••••••••••••" marked={2} copy={t("home.drawing.copy")} />
          <circle cx="258" cy="62" r="9" fill={MARK} />
          <text x="258" y="66" fontSize="10" fill="#ffffff" textAnchor="middle" fontWeight="bold">
            3
          </text>
          <text x="128" y="196" fontSize="9" fill="#6d7175">
            {`3 → ${secondTab} → ${t("home.drawing.liffId")}`}
          </text>
        </>
      )}
    </svg>
  );
}

/** The accounts page's first run: a LINE chat on a phone joined to a shop front. */
export function FirstRunDrawing() {
  const t = useT();
  return (
    <svg viewBox="0 0 320 160" width="100%" role="img" aria-label={t("accounts.firstRun.alt")} style={{ maxWidth: 320, display: "block", margin: "0 auto" }}>
      <circle cx="160" cy="80" r="74" fill="#e3f1df" />
      <rect x="52" y="28" width="74" height="118" rx="12" fill="#ffffff" stroke="#5c5f62" strokeWidth="3" />
      <rect x="78" y="34" width="22" height="4" rx="2" fill="#5c5f62" />
      <rect x="62" y="50" width="46" height="16" rx="8" fill="#e4e5e7" />
      <rect x="72" y="72" width="44" height="16" rx="8" fill={GREEN} />
      <rect x="62" y="94" width="38" height="16" rx="8" fill="#e4e5e7" />
      <rect x="70" y="116" width="46" height="16" rx="8" fill={GREEN} />
      <path d="M132 86h48" stroke={GREEN} strokeWidth="4" strokeDasharray="6 6" strokeLinecap="round" />
      <circle cx="156" cy="86" r="12" fill={GREEN} />
      <path d="M150 86l4 4 8-8" stroke="#ffffff" strokeWidth="3" fill="none" strokeLinecap="round" strokeLinejoin="round" />
      <path d="M186 64h80l8 18H178z" fill="#5c5f62" />
      <path d="M178 82h96v6a10 10 0 0 1-20 0 10 10 0 0 1-19 0 10 10 0 0 1-19 0 10 10 0 0 1-19 0 10 10 0 0 1-19 0z" fill={GREEN} />
      <rect x="184" y="94" width="84" height="50" rx="3" fill="#ffffff" stroke="#5c5f62" strokeWidth="3" />
      <rect x="196" y="110" width="22" height="34" fill="#c9cccf" />
      <rect x="228" y="108" width="30" height="18" rx="2" fill="#e3f1df" stroke="#5c5f62" />
    </svg>
  );
}
