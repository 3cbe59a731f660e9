/**
 * Submission formats: the classic e-mail update text (objects separated by blank lines, `password:`,
 * `override:` and `delete:` pseudo-attributes) and the JSON body of POST /api/irr/submit.
 */
import { splitObjects } from './parser.js';

export interface SubmittedObject {
  text: string;
  /** set: delete the object, with this reason */
  deleteReason?: string;
}

export interface Submission {
  objects: SubmittedObject[];
  passwords: string[];
  override?: string;
  apiKey?: string;
  dryRun?: boolean;
}

const PSEUDO = /^(password|override|delete):[ \t]*(.*)$/i;

/** Parses the e-mail style text. Passwords and override apply to every object, as in IRRd. */
export function parseSubmissionText(text: string): Submission {
  const objects: SubmittedObject[] = [];
  const passwords: string[] = [];
  let override: string | undefined;
  for (const chunk of splitObjects(text)) {
    const kept: string[] = [];
    let deleteReason: string | undefined;
    for (const line of chunk.text.split('\n')) {
      const m = PSEUDO.exec(line);
      if (!m) {
        kept.push(line);
        continue;
      }
      const kind = m[1].toLowerCase();
      const value = m[2].trim();
      if (kind === 'password') passwords.push(value);
      else if (kind === 'override') override = value;
      else deleteReason = value || 'deleted';
    }
    if (kept.some((l) => l.trim() !== '')) objects.push({ text: kept.join('\n'), deleteReason });
  }
  return { objects, passwords, override };
}

/** JSON body: { objects: [{ object_text | attributes: [{name, value}], delete_reason? }], passwords?, override?,
 *  delete_reason?, dry_run? } (the shape of IRRd's HTTP submission API, plus dry_run). */
export function parseSubmissionJson(body: unknown): Submission {
  const b = (body ?? {}) as Record<string, unknown>;
  if (!Array.isArray(b.objects)) throw new Error('body must have an "objects" array');
  const globalDelete = typeof b.delete_reason === 'string' ? b.delete_reason : undefined;
  const objects = b.objects.map((o: unknown, i: number) => {
    const x = (o ?? {}) as Record<string, unknown>;
    let text: string;
    if (typeof x.object_text === 'string') text = x.object_text;
    else if (Array.isArray(x.attributes)) {
      text = x.attributes.map((a: { name?: unknown; value?: unknown }) => {
        if (typeof a?.name !== 'string' || typeof a?.value !== 'string') throw new Error(`objects[${i}].attributes: each needs a string name and value`);
        return `${a.name}: ${a.value.replace(/\n/g, '\n+ ')}`;
      }).join('\n');
    } else throw new Error(`objects[${i}] needs object_text or attributes`);
    const deleteReason = typeof x.delete_reason === 'string' ? x.delete_reason : globalDelete;
    return { text, deleteReason };
  });
  const passwords = Array.isArray(b.passwords) ? b.passwords.filter((p): p is string => typeof p === 'string') : [];
  return {
    objects,
    passwords,
    override: typeof b.override === 'string' ? b.override : undefined,
    dryRun: b.dry_run === true,
  };
}
