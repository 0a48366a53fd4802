// The kinds of form fields, without zod: what the form builder in the admin needs of app/forms/model.ts (which
// re-exports these), so its chunks stay free of zod.
export const FIELD_TYPES = [
  "shortText",
  "longText",
  "singleChoice",
  "multipleChoice",
  "dropdown",
  "date",
  "time",
  "number",
  "email",
  "phone",
  "address",
  "consent",
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Format rules for text fields. */
export const TEXT_FORMATS = ["any", "kana", "hiragana", "halfWidthDigits", "alphanumeric"] as const;
export type TextFormat = (typeof TEXT_FORMATS)[number];

export const CHOICE_TYPES: FieldType[] = ["singleChoice", "multipleChoice", "dropdown"];
export const TEXT_TYPES: FieldType[] = ["shortText", "longText"];
