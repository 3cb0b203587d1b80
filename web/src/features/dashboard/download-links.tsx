import { toCsv } from './timeline-data';

function save(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A table's numbers as CSV and JSON: the same header and rows as shown, the filters in the file name. */
export function DownloadLinks({ what, name, header, rows }: { what: string; name: string; header: readonly string[]; rows: readonly (readonly (string | number)[])[] }) {
  const json = () => JSON.stringify(rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))), null, 2);
  return (
    <p className="downloads">
      <span>Download {what}:</span>{' '}
      <button type="button" className="link" onClick={() => save(`${name}.csv`, 'text/csv', toCsv(header, rows))}>
        CSV<span className="visually-hidden"> of {what}</span>
      </button>{' '}
      <button type="button" className="link" onClick={() => save(`${name}.json`, 'application/json', json())}>
        JSON<span className="visually-hidden"> of {what}</span>
      </button>
    </p>
  );
}
