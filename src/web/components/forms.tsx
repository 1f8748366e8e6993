/**
 * Form building blocks. Every form carries the CSRF token; every field shows its error inline, linked with
 * aria-describedby, and keeps the user's value. Messages are i18n keys translated here.
 */
import { createContext, type ComponentChildren, type JSX } from 'preact';
import { useContext } from 'preact/hooks';
import { usePage } from '../page-context.js';

export type FieldErrors = Record<string, string>;
export type FormValues = Record<string, string | string[] | undefined>;

/**
 * Two forms on one page may have a field of the same name (a note and a message are both `body`): giving a form a
 * `scope` prefixes its fields' ids, so labels, hints and error links stay unique.
 */
const FieldScope = createContext('');
const useScope = () => useContext(FieldScope);

export function Form({
  action,
  method = 'post',
  children,
  class: className,
  enctype,
  id,
  scope,
}: {
  action: string;
  method?: 'post' | 'get';
  children: ComponentChildren;
  class?: string;
  enctype?: string;
  id?: string;
  /** Prefix for the fields' ids (see FieldScope). */
  scope?: string;
}) {
  const { csrfToken } = usePage();
  return (
    <form action={action} method={method} class={className} enctype={enctype} id={id} novalidate>
      {method === 'post' && <input type="hidden" name="_csrf" value={csrfToken} />}
      <FieldScope.Provider value={scope ? `${scope}-` : ''}>{children}</FieldScope.Provider>
    </form>
  );
}

/**
 * Render it inside its <Form>: the links then carry the form's scope (`#message-f-body`), so on a page with
 * several forms they lead to the field that is in error.
 */
export function ErrorSummary({ errors }: { errors: FieldErrors }) {
  const { t } = usePage();
  const sc = useScope();
  const entries = Object.entries(errors).filter(([k]) => k !== '_form');
  const formError = errors._form;
  if (!entries.length && !formError) return null;
  return (
    <div class="alert alert-error" role="alert" tabIndex={-1} id="erreurs">
      {formError && <p>{t(formError)}</p>}
      {entries.length > 0 && (
        <>
          <p>{t('form.errorSummary', { count: entries.length })}</p>
          <ul>
            {entries.map(([name, key]) => (
              <li key={name}>
                <a href={`#${sc}f-${name}`}>{t(key)}</a>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

interface FieldProps {
  name: string;
  label: string;
  values?: FormValues;
  errors?: FieldErrors;
  hint?: string;
  required?: boolean;
  type?: string;
  autocomplete?: string;
  inputMode?: JSX.HTMLAttributes['inputMode'];
  maxLength?: number;
}

function FieldShell({ name, label, errors, hint, required, type, children }: FieldProps & { children: ComponentChildren }) {
  const { t } = usePage();
  const sc = useScope();
  const error = errors?.[name];
  const format = type ? FORMAT_KEY[type] : undefined;
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={`${sc}f-${name}`}>
        {label}
        {required && <span class="required"> ({t('form.required')})</span>}
      </label>
      {hint && (
        <p class="hint" id={`${sc}h-${name}`}>
          {hint}
        </p>
      )}
      {format && (
        <p class="hint" id={`${sc}fmt-${name}`}>
          {t(format)}
        </p>
      )}
      {error && (
        <p class="error-message" id={`${sc}e-${name}`}>
          {t(error)}
        </p>
      )}
      {children}
    </div>
  );
}

function describedBy(sc: string, name: string, errors?: FieldErrors, hint?: string, format?: boolean) {
  const ids = [hint ? `${sc}h-${name}` : '', format ? `${sc}fmt-${name}` : '', errors?.[name] ? `${sc}e-${name}` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

/**
 * Date and time pickers follow the browser's language (an English browser shows 12/10/2026 on a French page) and
 * some browsers show a plain text box: the expected format is written next to the field, and the schemas accept
 * it (`frenchDateToIso`, `frenchTimeToIso` in shared/input.ts).
 */
const FORMAT_KEY: Record<string, string> = { date: 'form.format.date', time: 'form.format.time' };

const valueOf = (values: FormValues | undefined, name: string) => {
  const v = values?.[name];
  return Array.isArray(v) ? v[0] : v;
};

export function Field(props: FieldProps) {
  const { name, values, errors, hint, required, type = 'text', autocomplete, inputMode, maxLength } = props;
  const sc = useScope();
  return (
    <FieldShell {...props}>
      <input
        id={`${sc}f-${name}`}
        name={name}
        type={type}
        value={type === 'password' ? undefined : valueOf(values, name)}
        required={required}
        autocomplete={autocomplete}
        inputMode={inputMode}
        maxLength={maxLength}
        aria-invalid={errors?.[name] ? 'true' : undefined}
        aria-describedby={describedBy(sc, name, errors, hint, type in FORMAT_KEY)}
      />
    </FieldShell>
  );
}

/** A file input (the form needs `enctype="multipart/form-data"`); `accept` only helps the browser's picker, the server decides. */
export function FileField(props: FieldProps & { accept: string }) {
  const { name, errors, hint, required, accept } = props;
  const sc = useScope();
  return (
    <FieldShell {...props}>
      <input id={`${sc}f-${name}`} name={name} type="file" accept={accept} required={required} aria-invalid={errors?.[name] ? 'true' : undefined} aria-describedby={describedBy(sc, name, errors, hint)} />
    </FieldShell>
  );
}

export function TextArea(props: FieldProps & { rows?: number }) {
  const { name, values, errors, hint, required, rows = 6, maxLength } = props;
  const sc = useScope();
  return (
    <FieldShell {...props}>
      <textarea
        id={`${sc}f-${name}`}
        name={name}
        rows={rows}
        required={required}
        maxLength={maxLength}
        aria-invalid={errors?.[name] ? 'true' : undefined}
        aria-describedby={describedBy(sc, name, errors, hint)}
      >
        {valueOf(values, name) ?? ''}
      </textarea>
    </FieldShell>
  );
}

export function Select(props: FieldProps & { options: { value: string; label: string }[] }) {
  const { name, values, errors, hint, required, options } = props;
  const sc = useScope();
  const current = valueOf(values, name);
  return (
    <FieldShell {...props}>
      <select
        id={`${sc}f-${name}`}
        name={name}
        required={required}
        aria-invalid={errors?.[name] ? 'true' : undefined}
        aria-describedby={describedBy(sc, name, errors, hint)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === current}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

interface ChoicesProps {
  name: string;
  legend: string;
  options: { value: string; label: string }[];
  values?: FormValues;
  errors?: FieldErrors;
  hint?: string;
  required?: boolean;
}

/**
 * A group of checkboxes or radio buttons in a fieldset. Every control of a group in error carries `aria-invalid`,
 * as text fields do: one rule for every control.
 */
function Choices({ name, legend, options, values, errors, hint, required, type }: ChoicesProps & { type: 'checkbox' | 'radio' }) {
  const { t } = usePage();
  const sc = useScope();
  const raw = values?.[name];
  const checked = new Set(Array.isArray(raw) ? raw : raw ? [raw] : []);
  const error = errors?.[name];
  return (
    <fieldset class={error ? 'field field-error' : 'field'} id={`${sc}f-${name}`} aria-describedby={describedBy(sc, name, errors, hint)}>
      <legend>
        {legend}
        {required && <span class="required"> ({t('form.required')})</span>}
      </legend>
      {hint && (
        <p class="hint" id={`${sc}h-${name}`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="error-message" id={`${sc}e-${name}`}>
          {t(error)}
        </p>
      )}
      {options.map((o) => (
        <div class="checkbox" key={o.value}>
          <input
            type={type}
            id={`${sc}f-${name}-${o.value}`}
            name={name}
            value={o.value}
            checked={checked.has(o.value)}
            aria-invalid={error ? 'true' : undefined}
          />
          <label for={`${sc}f-${name}-${o.value}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

export const Checkboxes = (props: ChoicesProps) => <Choices {...props} type="checkbox" />;

export const Radios = (props: ChoicesProps) => <Choices {...props} type="radio" />;

export function Checkbox({ name, label, values, errors }: { name: string; label: string; values?: FormValues; errors?: FieldErrors }) {
  const { t } = usePage();
  const sc = useScope();
  const error = errors?.[name];
  return (
    <div class={error ? 'field field-error checkbox' : 'checkbox'}>
      {error && (
        <p class="error-message" id={`${sc}e-${name}`}>
          {t(error)}
        </p>
      )}
      <input
        type="checkbox"
        id={`${sc}f-${name}`}
        name={name}
        value="1"
        checked={valueOf(values, name) === '1' || valueOf(values, name) === 'on'}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${sc}e-${name}` : undefined}
      />
      <label for={`${sc}f-${name}`}>{label}</label>
    </div>
  );
}

export function Button({ children, variant = 'primary', name, value }: { children: ComponentChildren; variant?: 'primary' | 'secondary' | 'danger'; name?: string; value?: string }) {
  return (
    <button type="submit" class={`button button-${variant}`} name={name} value={value}>
      {children}
    </button>
  );
}

/** One filter of a GET form (agenda, offers, members lists): a labelled select whose first option means "any". */
export function FilterSelect({ name, label, all, current, options }: { name: string; label: string; all: string; current?: string; options: { value: string; label: string }[] }) {
  return (
    <div class="field">
      <label for={`q-${name}`}>{label}</label>
      <select id={`q-${name}`} name={name}>
        <option value="">{all}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value} selected={current === o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
