import type { FieldValues, Path, UseFormReturn } from 'react-hook-form';
import { TextField } from '../../../components/form';

const GROUPS = [
  ['civilian', 'killed', 'Civilian killed'],
  ['civilian', 'wounded', 'Civilian wounded'],
  ['military', 'killed', 'Military killed'],
  ['military', 'wounded', 'Military wounded'],
] as const;

const whole = (label: string) => ({ validate: (v: unknown) => String(v ?? '').trim() === '' || /^\d{1,7}$/.test(String(v).trim()) || `${label} must be a whole number, 0 or more` });

/** Casualty ranges under `casualties.*`, labelled as in the claim form. */
export function CasualtyFields<T extends FieldValues>({ form }: { form: UseFormReturn<T> }) {
  return (
    <fieldset>
      <legend>Casualties as claimed</legend>
      <p className="hint">Ranges are allowed: the lowest and the highest figure claimed (the same for an exact figure). Leave empty where none were claimed.</p>
      {GROUPS.map(([who, what, label]) => (
        <div className="row" key={`${who}-${what}`}>
          <TextField form={form} name={`casualties.${who}.${what}.min` as Path<T>} label={`${label} (min)`} optional inputMode="numeric" rules={whole(`${label} (min)`)} />
          <TextField
            form={form}
            name={`casualties.${who}.${what}.max` as Path<T>}
            label={`${label} (max)`}
            optional
            inputMode="numeric"
            rules={{
              validate: (v: unknown) => {
                const n = whole(`${label} (max)`).validate(v);
                if (n !== true) return n;
                const min = String(form.getValues(`casualties.${who}.${what}.min` as Path<T>) ?? '');
                return String(v ?? '').trim() === '' || min.trim() === '' || Number(v) >= Number(min) || `${label} (max) must be at least the minimum`;
              },
            }}
          />
        </div>
      ))}
    </fieldset>
  );
}
