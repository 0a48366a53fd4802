// LIFF forms: the field definitions (stored as Form.fields) and the validation of an answer, shared by the form
// builder, the LIFF page (to show errors as the friend types) and the server (which decides). Safe for the browser.
import { z } from "zod";
import { CHOICE_TYPES, FIELD_TYPES, TEXT_FORMATS, TEXT_TYPES, type FieldType, type TextFormat } from "./field-types";
export * from "./field-types";

const choice = z.object({
  id: z.string().min(1).max(40),
  label: z.string().trim().min(1).max(100),
  /** Tags added to the friend who picks this choice. */
  addTags: z.array(z.string().trim().min(1).max(50)).max(10).default([]),
  /** Tags removed from the friend who picks this choice. */
  removeTags: z.array(z.string().trim().min(1).max(50)).max(10).default([]),
});
export type Choice = z.infer<typeof choice>;

export const formField = z.object({
  id: z.string().min(1).max(40).regex(/^[A-Za-z0-9_-]+$/),
  type: z.enum(FIELD_TYPES),
  label: z.string().trim().min(1).max(200),
  help: z.string().max(500).default(""),
  required: z.boolean().default(false),
  minLength: z.number().int().min(0).max(10_000).nullable().default(null),
  maxLength: z.number().int().min(1).max(10_000).nullable().default(null),
  format: z.enum(TEXT_FORMATS).default("any"),
  /** number: the range allowed. */
  min: z.number().nullable().default(null),
  max: z.number().nullable().default(null),
  choices: z.array(choice).max(50).default([]),
});
export type FormField = z.infer<typeof formField>;
export const formFields = z.array(formField).max(50);


/** An address answer: a Japanese postal code (7 digits) and the address. */
export type AddressValue = { postalCode: string; address: string };
export type AnswerValue = string | string[] | boolean | AddressValue;
export type AnswerValues = Record<string, AnswerValue>;

/** The error keys of the shopper-facing texts (liffFormTexts). */
export type FieldError =
  | "required"
  | "tooShort"
  | "tooLong"
  | "kana"
  | "hiragana"
  | "halfWidthDigits"
  | "alphanumeric"
  | "choice"
  | "date"
  | "time"
  | "number"
  | "numberRange"
  | "email"
  | "phone"
  | "postalCode"
  | "consent";

const FORMAT_PATTERNS: Record<Exclude<TextFormat, "any">, RegExp> = {
  // Katakana (full width), the long-vowel mark and spaces.
  kana: /^[\u30A0-\u30FF\u3000 ー]+$/,
  hiragana: /^[\u3040-\u309F\u3000 ー]+$/,
  halfWidthDigits: /^[0-9]+$/,
  alphanumeric: /^[A-Za-z0-9]+$/,
};

const isBlank = (value: AnswerValue | undefined) =>
  value === undefined ||
  value === false ||
  (typeof value === "string" && value.trim() === "") ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === "object" && !Array.isArray(value) && value !== null && !(value as AddressValue).postalCode && !(value as AddressValue).address);

function textError(field: FormField, value: string): FieldError | null {
  const length = [...value].length;
  if (field.minLength !== null && length < field.minLength) return "tooShort";
  if (field.maxLength !== null && length > field.maxLength) return "tooLong";
  if (field.format !== "any" && !FORMAT_PATTERNS[field.format].test(value)) return field.format;
  return null;
}

/** The error of one field's value, or null. */
export function fieldError(field: FormField, value: AnswerValue | undefined): FieldError | null {
  if (isBlank(value)) return field.required ? (field.type === "consent" ? "consent" : "required") : null;
  const ids = new Set(field.choices.map((c) => c.id));
  switch (field.type) {
    case "shortText":
    case "longText":
      return typeof value === "string" ? textError(field, value.trim()) : "required";
    case "singleChoice":
    case "dropdown":
      return typeof value === "string" && ids.has(value) ? null : "choice";
    case "multipleChoice":
      return Array.isArray(value) && value.every((v) => ids.has(v)) ? null : "choice";
    case "date": {
      if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return "date";
      const date = new Date(`${value}T00:00:00Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value) ? null : "date";
    }
    case "time":
      return typeof value === "string" && /^([01]\d|2[0-3]):[0-5]\d$/.test(value) ? null : "time";
    case "number": {
      if (typeof value !== "string" || !/^-?\d+(\.\d+)?$/.test(value.trim())) return "number";
      const n = Number(value);
      if ((field.min !== null && n < field.min) || (field.max !== null && n > field.max)) return "numberRange";
      return null;
    }
    case "email":
      return typeof value === "string" && z.email().safeParse(value.trim()).success ? null : "email";
    case "phone":
      // Japanese numbers: 10 or 11 digits, hyphens allowed.
      return typeof value === "string" && /^0\d{9,10}$/.test(value.replace(/-/g, "")) ? null : "phone";
    case "address": {
      const address = value as AddressValue;
      if (typeof address !== "object" || !/^\d{3}-?\d{4}$/.test(address.postalCode ?? "")) return "postalCode";
      if (!address.address?.trim()) return "required";
      return address.address.length > 300 ? "tooLong" : null;
    }
    case "consent":
      return value === true ? null : "consent";
  }
}

/** Every field's error; an empty object when the answer may be stored. */
export function validateAnswer(fields: FormField[], values: AnswerValues): Record<string, FieldError> {
  const errors: Record<string, FieldError> = {};
  for (const field of fields) {
    const error = fieldError(field, values[field.id]);
    if (error) errors[field.id] = error;
  }
  return errors;
}

/** The answer as stored: known fields only, text trimmed, postal code as 7 digits. */
export function normalizeAnswer(fields: FormField[], values: AnswerValues): AnswerValues {
  const out: AnswerValues = {};
  for (const field of fields) {
    const value = values[field.id];
    if (isBlank(value)) continue;
    if (typeof value === "string") out[field.id] = value.trim();
    else if (field.type === "address") {
      const address = value as AddressValue;
      out[field.id] = { postalCode: address.postalCode.replace("-", ""), address: address.address.trim() };
    } else out[field.id] = value;
  }
  return out;
}

/** The choices a friend picked, over every choice field: their tags to add and remove. */
export function tagsOfAnswer(fields: FormField[], values: AnswerValues): { add: string[]; remove: string[] } {
  const add = new Set<string>();
  const remove = new Set<string>();
  for (const field of fields) {
    if (!CHOICE_TYPES.includes(field.type)) continue;
    const picked = ([] as unknown[]).concat(values[field.id] ?? []);
    for (const c of field.choices) {
      if (!picked.includes(c.id)) continue;
      c.addTags.forEach((tag) => add.add(tag));
      c.removeTags.forEach((tag) => remove.add(tag));
    }
  }
  return { add: [...add], remove: [...remove].filter((tag) => !add.has(tag)) };
}

/** One answer as text per field, for the answers list and the CSV. */
export function answerText(field: FormField, value: AnswerValue | undefined): string {
  if (value === undefined) return "";
  if (typeof value === "boolean") return value ? "✓" : "";
  if (Array.isArray(value)) return value.map((id) => field.choices.find((c) => c.id === id)?.label ?? id).join(", ");
  if (typeof value === "object") return `〒${value.postalCode.replace(/^(\d{3})(\d{4})$/, "$1-$2")} ${value.address}`;
  if (CHOICE_TYPES.includes(field.type)) return field.choices.find((c) => c.id === value)?.label ?? value;
  return value;
}
