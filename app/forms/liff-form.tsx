// The form as friends see it in the LIFF page: plain HTML and the LIFF stylesheet, mobile first. The browser checks
// each field as the server will (app/forms/model.ts) so mistakes show at once; the server decides.
import { useState, type FormEvent } from "react";
import type { FormLanguage } from "./liff-form-texts";
import { liffFormTexts } from "./liff-form-texts";
import { fieldError, validateAnswer, type AddressValue, type AnswerValue, type AnswerValues, type FieldError, type FormField } from "./model";

export type LiffFormData = {
  lang: FormLanguage;
  form: { id: string; title: string; description: string; fields: FormField[]; state: "open" | "not-open" | "closed"; thankYouTitle: string; thankYouText: string; accountName: string };
};

export type Submitted = { ok: true } | { ok: false; error: string; fields?: Record<string, FieldError> };

export function LiffForm({ data, submit, initial }: { data: LiffFormData; submit: (values: AnswerValues) => Promise<Submitted>; initial?: AnswerValues }) {
  const t = liffFormTexts[data.lang];
  const { form } = data;
  const [values, setValues] = useState<AnswerValues>(initial ?? {});
  const [errors, setErrors] = useState<Record<string, FieldError>>({});
  const [status, setStatus] = useState<"editing" | "sending" | "done" | string>("editing");

  if (form.state !== "open") {
    return <Shell title={form.title} account={form.accountName}><p className="liff-form-note">{form.state === "closed" ? t.closed : t.notOpen}</p></Shell>;
  }
  if (status === "done" || status === "already-answered") {
    return (
      <Shell title={status === "done" ? form.thankYouTitle || t.thanks : form.title} account={form.accountName}>
        <p className="liff-form-note">{status === "done" ? form.thankYouText || t.thanks : t.answered}</p>
      </Shell>
    );
  }
  const set = (id: string, value: AnswerValue) => {
    setValues((current) => ({ ...current, [id]: value }));
    if (errors[id]) setErrors(({ [id]: _, ...rest }) => rest);
  };
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateAnswer(form.fields, values);
    setErrors(found);
    if (Object.keys(found).length) return;
    setStatus("sending");
    const result = await submit(values);
    if (result.ok) return setStatus("done");
    if (result.fields) setErrors(result.fields);
    setStatus(result.error);
  };
  const banner = status === "invalid" ? t.fixErrors : status === "id-token-rejected" ? t.loginFailed : status === "closed" ? t.closed : status === "not-open" ? t.notOpen : !["editing", "sending"].includes(status) ? t.failed : null;

  return (
    <Shell title={form.title} account={form.accountName}>
      {form.description ? <p className="liff-form-description">{form.description}</p> : null}
      <form className="liff-form" onSubmit={onSubmit} noValidate>
        {Object.keys(errors).length > 0 && status !== "invalid" ? <p className="liff-form-banner" role="alert">{t.fixErrors}</p> : null}
        {banner ? <p className="liff-form-banner" role="alert">{banner}</p> : null}
        {form.fields.map((field) => (
          <Field key={field.id} field={field} value={values[field.id]} error={errors[field.id] ? t.errors[errors[field.id]] : null} lang={data.lang} onChange={(value) => set(field.id, value)} onBlur={() => {
            const error = values[field.id] === undefined ? null : fieldError(field, values[field.id]);
            setErrors(({ [field.id]: _, ...rest }) => (error ? { ...rest, [field.id]: error } : rest));
          }} />
        ))}
        <button type="submit" className="liff-button primary" disabled={status === "sending"}>
          {status === "sending" ? t.sending : t.submit}
        </button>
      </form>
    </Shell>
  );
}

function Shell({ title, account, children }: { title: string; account: string; children: React.ReactNode }) {
  return (
    <main className="liff liff-form-page">
      <p className="liff-brand">{account}</p>
      <h1 className="liff-title">{title}</h1>
      {children}
    </main>
  );
}

function Field(props: { field: FormField; value: AnswerValue | undefined; error: string | null; lang: FormLanguage; onChange: (value: AnswerValue) => void; onBlur: () => void }) {
  const { field, value, error } = props;
  const t = liffFormTexts[props.lang];
  const id = `field-${field.id}`;
  const described = error ? `${id}-error` : undefined;
  const common = { id, "aria-invalid": Boolean(error), "aria-describedby": described, onBlur: props.onBlur };
  const text = typeof value === "string" ? value : "";
  let control: React.ReactNode;
  switch (field.type) {
    case "longText":
      control = <textarea {...common} rows={4} value={text} onChange={(e) => props.onChange(e.target.value)} />;
      break;
    case "singleChoice":
      control = (
        <div className="liff-form-choices" role="radiogroup" aria-labelledby={`${id}-label`}>
          {field.choices.map((c) => (
            <label key={c.id} className="liff-form-choice">
              <input type="radio" name={field.id} checked={value === c.id} onChange={() => props.onChange(c.id)} /> {c.label}
            </label>
          ))}
        </div>
      );
      break;
    case "multipleChoice": {
      const picked = Array.isArray(value) ? value : [];
      control = (
        <div className="liff-form-choices">
          {field.choices.map((c) => (
            <label key={c.id} className="liff-form-choice">
              <input type="checkbox" checked={picked.includes(c.id)} onChange={(e) => props.onChange(e.target.checked ? [...picked, c.id] : picked.filter((p) => p !== c.id))} /> {c.label}
            </label>
          ))}
        </div>
      );
      break;
    }
    case "dropdown":
      control = (
        <select {...common} value={text} onChange={(e) => props.onChange(e.target.value)}>
          <option value="">{t.select}</option>
          {field.choices.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>
      );
      break;
    case "address": {
      const address = (value as AddressValue | undefined) ?? { postalCode: "", address: "" };
      control = (
        <div className="liff-form-address">
          <input {...common} inputMode="numeric" autoComplete="postal-code" placeholder={t.postalCode} aria-label={t.postalCode} value={address.postalCode} onChange={(e) => props.onChange({ ...address, postalCode: e.target.value })} />
          <input autoComplete="street-address" placeholder={t.address} aria-label={t.address} value={address.address} onChange={(e) => props.onChange({ ...address, address: e.target.value })} onBlur={props.onBlur} />
        </div>
      );
      break;
    }
    case "consent":
      control = (
        <label className="liff-form-choice">
          <input type="checkbox" {...common} checked={value === true} onChange={(e) => props.onChange(e.target.checked)} /> {field.help || field.label}
        </label>
      );
      break;
    default: {
      const inputType = { date: "date", time: "time", number: "text", email: "email", phone: "tel", shortText: "text" }[field.type] ?? "text";
      const inputMode = field.type === "number" || field.format === "halfWidthDigits" ? "numeric" : field.type === "phone" ? "tel" : undefined;
      control = <input {...common} type={inputType} inputMode={inputMode} value={text} onChange={(e) => props.onChange(e.target.value)} />;
    }
  }
  return (
    <div className={`liff-form-field${error ? " liff-form-field-error" : ""}`}>
      <label id={`${id}-label`} htmlFor={id} className="liff-form-label">
        {field.label} <span className={field.required ? "liff-form-required" : "liff-form-optional"}>{field.required ? t.required : t.optional}</span>
      </label>
      {field.help && field.type !== "consent" ? <p className="liff-form-help">{field.help}</p> : null}
      {control}
      {error ? (
        <p id={described} className="liff-form-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
