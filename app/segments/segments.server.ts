// Saved segments of a shop. Error values are i18n keys (app/i18n/segments.ts); a definition that names another
// shop's account, tag or tracking link is refused before anything is written or counted.
import { Prisma } from "@prisma/client";
import { enqueueCollectionSync } from "../../jobs/queues";
import { db } from "../db.server";
import { CHOICE_TYPES, TEXT_TYPES, type FormField } from "../forms/model";
import { countSegment } from "./compile.server";
import { issuesByPath, referencedIds, segmentDefinitionSchema, segmentNameSchema, type SegmentDefinition } from "./model";

export type SegmentErrors = Record<string, string>;

/** Parses a definition sent by the browser (JSON text or a value) and checks that every id it names is the shop's. */
export async function parseDefinition(shop: string, input: unknown): Promise<{ definition: SegmentDefinition } | { errors: SegmentErrors }> {
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch {
      return { errors: { definition: "segments.error.definition" } };
    }
  }
  const parsed = segmentDefinitionSchema.safeParse(value);
  if (!parsed.success) return { errors: { definition: "segments.error.definition", ...issuesByPath(parsed.error) } };
  const unknown = await unknownReferences(shop, parsed.data);
  return unknown ? { errors: { definition: unknown } } : { definition: parsed.data };
}

async function unknownReferences(shop: string, definition: SegmentDefinition): Promise<string | null> {
  const { accountIds, tagIds, trackingLinkIds, formIds, formAnswers } = referencedIds(definition);
  const [accounts, tags, links, forms] = await Promise.all([
    accountIds.length ? db.lineAccount.count({ where: { shop, id: { in: accountIds } } }) : 0,
    tagIds.length ? db.tag.count({ where: { shop, id: { in: tagIds } } }) : 0,
    trackingLinkIds.length ? db.trackingLink.count({ where: { shop, id: { in: trackingLinkIds } } }) : 0,
    formIds.length ? db.form.findMany({ where: { shop, id: { in: formIds } }, select: { id: true, fields: true } }) : [],
  ]);
  if (accounts !== accountIds.length) return "segments.error.unknownAccount";
  if (tags !== tagIds.length) return "segments.error.unknownTag";
  if (links !== trackingLinkIds.length) return "segments.error.unknownLink";
  if (forms.length !== formIds.length) return "segments.error.unknownForm";
  // "Answer is V": the question must be a choice or text question of the form, and the choices its own.
  const fieldsOf = new Map(forms.map((form) => [form.id, form.fields as unknown as FormField[]]));
  for (const condition of formAnswers) {
    const question = fieldsOf.get(condition.formId)?.find((field) => field.id === condition.fieldId);
    if (!question || answerKind(question) !== condition.kind) return "segments.error.unknownFormField";
    if (condition.kind === "choice" && !condition.values.every((value) => question.choices.some((choice) => choice.id === value))) return "segments.error.unknownFormChoice";
  }
  return null;
}

/** A saved definition read back; one that no longer parses (a model change without a migration) is an error. */
function storedDefinition(value: Prisma.JsonValue): SegmentDefinition {
  return segmentDefinitionSchema.parse(value);
}

export async function getSegment(shop: string, id: string) {
  const row = await db.segment.findFirst({ where: { id, shop }, select: { id: true, name: true, definition: true } });
  return row ? { id: row.id, name: row.name, definition: storedDefinition(row.definition) } : null;
}

/** The shop's segments by name, each with its friend count now. */
export async function listSegments(shop: string) {
  const rows = await db.segment.findMany({ where: { shop }, orderBy: { name: "asc" }, select: { id: true, name: true, definition: true, updatedAt: true } });
  return Promise.all(
    rows.map(async (row) => {
      const definition = storedDefinition(row.definition);
      return { id: row.id, name: row.name, updatedAt: row.updatedAt, conditionCount: definition.groups.flatMap((g) => g.conditions).length, friendCount: await countSegment(shop, definition) };
    }),
  );
}

const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

/** Creates (id null) or updates the shop's segment; the update names the shop in its statement. */
type Saved = { segment: { id: string; name: string } } | { errors: SegmentErrors };

export async function saveSegment(shop: string, id: string | null, input: { name: unknown; definition: unknown }): Promise<Saved> {
  const name = segmentNameSchema.safeParse(input.name);
  const parsed = await parseDefinition(shop, input.definition);
  const errors: SegmentErrors = { ...(name.success ? {} : issuesByPath(name.error, ["name"])), ...("errors" in parsed ? parsed.errors : {}) };
  if (!name.success || "errors" in parsed) return { errors };
  const data = { name: name.data, definition: parsed.definition as unknown as Prisma.InputJsonValue };
  try {
    let segment: { id: string; name: string };
    if (!id) segment = await db.segment.create({ data: { shop, ...data }, select: { id: true, name: true } });
    else {
      const updated = await db.segment.updateMany({ where: { id, shop }, data });
      if (!updated.count) return { errors: { form: "segments.error.notFound" } };
      segment = { id, name: data.name };
    }
    // The products of the collections it names are read from Shopify in the worker (and every day after).
    for (const collectionId of referencedIds(parsed.definition).collectionIds) await enqueueCollectionSync(shop, collectionId);
    return { segment };
  } catch (error) {
    if (isUniqueViolation(error)) return { errors: { name: "segments.error.nameTaken" } };
    throw error;
  }
}

export async function deleteSegment(shop: string, id: string): Promise<Saved> {
  const segment = await db.segment.findFirst({ where: { id, shop }, select: { id: true, name: true } });
  if (!segment) return { errors: { form: "segments.error.notFound" } };
  await db.segment.deleteMany({ where: { id, shop } });
  return { segment };
}

/** How "answer is V" compares a question's answers: by choice, by text, or not at all (other question types). */
function answerKind(field: FormField): "choice" | "text" | null {
  if (CHOICE_TYPES.includes(field.type)) return "choice";
  return TEXT_TYPES.includes(field.type) ? "text" : null;
}

/**
 * What the editor offers: the shop's accounts, tags, tracking links and forms (archived ones too: old friends came
 * from them, and old answers stay), each form with its choice and text questions.
 */
export async function editorOptions(shop: string) {
  const [accounts, tags, links, shopRow, forms] = await Promise.all([
    db.lineAccount.findMany({ where: { shop }, orderBy: { createdAt: "asc" }, select: { id: true, displayName: true } }),
    db.tag.findMany({ where: { shop }, orderBy: { name: "asc" }, select: { id: true, name: true, color: true } }),
    db.trackingLink.findMany({ where: { shop }, orderBy: [{ archivedAt: { sort: "desc", nulls: "first" } }, { name: "asc" }], select: { id: true, name: true, archivedAt: true } }),
    db.shop.findUnique({ where: { shop }, select: { timeZone: true, currency: true } }),
    db.form.findMany({ where: { shop }, orderBy: [{ archivedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }], select: { id: true, title: true, fields: true, archivedAt: true } }),
  ]);
  return {
    accounts,
    tags,
    links: links.map((link) => ({ id: link.id, name: link.name, archived: link.archivedAt !== null })),
    timeZone: shopRow?.timeZone ?? "Asia/Tokyo",
    currency: shopRow?.currency ?? null,
    forms: forms.map((form) => ({
      id: form.id,
      title: form.title,
      archived: form.archivedAt !== null,
      questions: (form.fields as unknown as FormField[]).flatMap((field) => {
        const kind = answerKind(field);
        return kind ? [{ id: field.id, label: field.label, kind, choices: field.choices.map((choice) => ({ id: choice.id, label: choice.label })) }] : [];
      }),
    })),
  };
}
