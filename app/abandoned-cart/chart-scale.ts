// A readable value axis: a maximum rounded up to 1, 2, 2.5 or 5 × 10ⁿ and evenly spaced ticks under it.

/** Ticks from 0 to a rounded maximum ≥ `max`, about `count` of them; whole numbers when `integer`. */
export function niceTicks(max: number, count = 4, integer = true): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const candidates = [1, 2, 2.5, 5, 10].map((m) => Math.round(m * power * 1e9) / 1e9).filter((c) => !integer || Number.isInteger(c));
  const found = candidates.find((candidate) => candidate >= rough) ?? 10 * power;
  const whole = integer ? Math.max(1, Math.ceil(found)) : found;
  const ticks: number[] = [];
  for (let value = 0; value < max + whole / 1e9; value += whole) ticks.push(Math.round(value * 1e9) / 1e9);
  if (ticks[ticks.length - 1] < max) ticks.push(ticks[ticks.length - 1] + whole);
  return ticks;
}

/** A tick label: compact for large values ("1.2万", "12K"), money in the shop's currency ("¥12万", "$1.5K"). */
export function tickText(value: number, locale: string, currency?: string | null) {
  const options: Intl.NumberFormatOptions = { notation: "compact", maximumFractionDigits: 1 };
  if (currency) {
    try {
      return new Intl.NumberFormat(locale, { ...options, style: "currency", currency }).format(value);
    } catch {
      return `${new Intl.NumberFormat(locale, options).format(value)} ${currency}`;
    }
  }
  return new Intl.NumberFormat(locale, options).format(value);
}
