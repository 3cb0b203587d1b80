// Accessible form parts (GOV.UK's validation pattern): labels on every control, hints and
// errors linked by aria-describedby, an error summary that takes focus, no role=alert inline.
import { type ReactNode, useEffect, useRef } from 'react';
import { type FieldError, type FieldErrors, type FieldValues, get, type Path, type RegisterOptions, type UseFormReturn } from 'react-hook-form';

/** `attributions.0.outlet` → `attributions-0-outlet`: the control's id, and the summary's link. */
export const fieldId = (path: string) => path.replace(/[.[\]]+/g, '-').replace(/-$/, '');

/** A server path (`attributions[0].reliability`) as a form path (`attributions.0.reliability`). */
export const toFormPath = (field: string) => field.replace(/\[(\d+)\]/g, '.$1');

export interface ListedError {
  path: string;
  message: string;
}

/** Every error of the form, in the order of its fields, the form-level one (root) first. */
export function listErrors(errors: FieldErrors, prefix = ''): ListedError[] {
  const out: ListedError[] = [];
  for (const [key, value] of Object.entries(errors)) {
    if (!value) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (key === 'root') {
      for (const rootError of Object.values(value as Record<string, FieldError>)) if (rootError?.message) out.push({ path: '', message: String(rootError.message) });
      continue;
    }
    if (typeof (value as FieldError).message === 'string' && (value as FieldError).type !== undefined) out.push({ path, message: String((value as FieldError).message) });
    else if (typeof value === 'object') out.push(...listErrors(value as FieldErrors, path));
  }
  return out;
}

export function ErrorSummary({ errors, attempt }: { errors: ListedError[]; attempt: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const count = errors.length;
  // Only a failed submit moves focus here (again, even with the same errors): errors that go
  // away while the user corrects a field must not pull focus from that field.
  useEffect(() => {
    if (attempt > 0 && count > 0) ref.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempt]);
  useEffect(() => {
    const title = document.title.replace(/^Error: /, '');
    document.title = errors.length > 0 ? `Error: ${title}` : title;
  }, [errors.length]);
  if (errors.length === 0) return null;
  return (
    <div className="error-summary" ref={ref} tabIndex={-1} role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">There is a problem</h2>
      <ul>
        {errors.map((e, i) => (
          <li key={`${e.path}-${i}`}>
            {e.path ? (
              <a
                href={`#${fieldId(e.path)}`}
                onClick={(event) => {
                  const target = document.getElementById(fieldId(e.path));
                  if (!target) return;
                  event.preventDefault();
                  (target.closest('.field') ?? target).scrollIntoView({ block: 'start' });
                  target.focus({ preventScroll: true });
                }}
              >
                {e.message}
              </a>
            ) : (
              e.message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

interface FieldProps<T extends FieldValues> {
  form: UseFormReturn<T>;
  name: Path<T>;
  label: ReactNode;
  hint?: ReactNode;
  optional?: boolean;
  rules?: RegisterOptions<T, Path<T>>;
  className?: string;
}

function useFieldParts<T extends FieldValues>({ form, name, hint }: FieldProps<T>) {
  const id = fieldId(name);
  const error = get(form.formState.errors, name) as FieldError | undefined;
  const describedBy = [hint ? `${id}-hint` : null, error?.message ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return { id, error, describedBy };
}

function Label({ id, label, optional }: { id: string; label: ReactNode; optional?: boolean }) {
  // "(optional)" is seen beside the label but is not part of the control's name: the names are
  // what tests and assistive tools ask for.
  return (
    <div className="label-line">
      <label htmlFor={id}>{label}</label>
      {optional ? (
        <span className="optional" aria-hidden="true">
          (optional)
        </span>
      ) : null}
    </div>
  );
}

function Hint({ id, hint }: { id: string; hint?: ReactNode }) {
  return hint ? (
    <p className="hint" id={`${id}-hint`}>
      {hint}
    </p>
  ) : null;
}

export function ErrorMessage({ id, error }: { id: string; error?: FieldError }) {
  return error?.message ? (
    <p className="error-message" id={`${id}-error`}>
      <span className="visually-hidden">Error: </span>
      {String(error.message)}
    </p>
  ) : null;
}

export function TextField<T extends FieldValues>(props: FieldProps<T> & { type?: string; autoComplete?: string; inputMode?: 'numeric' | 'decimal' | 'url' | 'text'; placeholder?: string }) {
  const { form, name, label, hint, optional, rules, type = 'text', autoComplete = 'off', inputMode, className, placeholder } = props;
  const { id, error, describedBy } = useFieldParts(props);
  return (
    <div className={`field ${className ?? ''} ${error ? 'field-error' : ''}`}>
      <Label id={id} label={label} optional={optional} />
      <Hint id={id} hint={hint} />
      <ErrorMessage id={id} error={error} />
      <input
        id={id}
        type={type}
        autoComplete={autoComplete}
        inputMode={inputMode}
        spellCheck={type === 'text' ? undefined : false}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...form.register(name, rules)}
      />
    </div>
  );
}

export function TextAreaField<T extends FieldValues>(props: FieldProps<T> & { rows?: number }) {
  const { form, name, label, hint, optional, rules, rows = 3, className } = props;
  const { id, error, describedBy } = useFieldParts(props);
  return (
    <div className={`field ${className ?? ''} ${error ? 'field-error' : ''}`}>
      <Label id={id} label={label} optional={optional} />
      <Hint id={id} hint={hint} />
      <ErrorMessage id={id} error={error} />
      <textarea id={id} rows={rows} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...form.register(name, rules)} />
    </div>
  );
}

export interface Choice {
  value: string;
  label: string;
}

export function SelectField<T extends FieldValues>(props: FieldProps<T> & { choices: Choice[]; placeholder?: string }) {
  const { form, name, label, hint, optional, rules, choices, placeholder, className } = props;
  const { id, error, describedBy } = useFieldParts(props);
  return (
    <div className={`field ${className ?? ''} ${error ? 'field-error' : ''}`}>
      <Label id={id} label={label} optional={optional} />
      <Hint id={id} hint={hint} />
      <ErrorMessage id={id} error={error} />
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...form.register(name, rules)}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CheckboxField<T extends FieldValues>(props: FieldProps<T>) {
  const { form, name, label, hint, className } = props;
  const { id, error, describedBy } = useFieldParts(props);
  return (
    <div className={`field checkbox ${className ?? ''}`}>
      <input id={id} type="checkbox" aria-describedby={describedBy} {...form.register(name)} />
      <Label id={id} label={label} />
      <Hint id={id} hint={hint} />
      <ErrorMessage id={id} error={error} />
    </div>
  );
}
