/**
 * Rendered pieces of WHOIS answers that stay valid until the registry view changes: organisation, contact and
 * maintainer objects (built once per handle), each cached object's policy-filtered form (with and without -B)
 * and that form's RPSL / JPNIC text. A default address answer is one delegation object (rendered per query)
 * plus its organisation and contacts, which thousands of delegations share: those come from here.
 *
 * Freshness: everything is dropped as soon as `RegistryView.version` moves, which the view does before and
 * after it applies each batch of feed changes. A cached piece is therefore never older than the view it is
 * served with; answers show a modified delegation, organisation or contact right after the view applied it.
 */
import type { WhoisObject } from './objects.js';
import { applyPolicy } from './personal-data.js';

export interface Filtered {
  object: WhoisObject;
  filtered: boolean;
  withheld: boolean;
}

interface Texts {
  rpsl?: string;
  ja?: string;
  en?: string;
}

/** The part of RegistryView the cache watches. */
export interface Versioned {
  readonly version: number;
}

export class RenderCache {
  private version = -1;
  /** Keyed by the view's organisation / contact / maintainer record (replaced by the view when it changes). */
  private readonly named = new Map<object, WhoisObject>();
  /** Cached objects → their filtered forms [default, -B]. Only objects the cache made are in here. */
  private filteredForms = new WeakMap<WhoisObject, [Filtered?, Filtered?]>();
  /** Filtered forms of cached objects → their rendered texts. */
  private texts = new WeakMap<WhoisObject, Texts>();

  constructor(private readonly view: Versioned) {}

  /** Drops everything if the view changed since the last call. */
  private fresh(): void {
    if (this.version === this.view.version) return;
    this.version = this.view.version;
    this.named.clear();
    this.filteredForms = new WeakMap();
    this.texts = new WeakMap();
  }

  /** The object made from an organisation, contact or maintainer record of the view, built once per view version. */
  object(key: object, make: () => WhoisObject): WhoisObject {
    this.fresh();
    let o = this.named.get(key);
    if (o === undefined) {
      o = make();
      this.named.set(key, o);
      this.filteredForms.set(o, [undefined, undefined]);
    }
    return o;
  }

  /** applyPolicy, computed once per cached object and mode. */
  filtered(o: WhoisObject, unfiltered: boolean): Filtered {
    const forms = this.filteredForms.get(o);
    if (forms === undefined) return applyPolicy(o, unfiltered);
    const i = unfiltered ? 1 : 0;
    let f = forms[i];
    if (f === undefined) {
      f = applyPolicy(o, unfiltered);
      forms[i] = f;
      this.texts.set(f.object, {});
    }
    return f;
  }

  /** `render(o)`, computed once per cached filtered object and style. */
  text(o: WhoisObject, style: keyof Texts, render: (o: WhoisObject) => string): string {
    const t = this.texts.get(o);
    if (t === undefined) return render(o);
    return (t[style] ??= render(o));
  }

  get size(): number {
    return this.named.size;
  }
}
