/**
 * Response metadata of searches: RFC 8977 paging_metadata and sorting_metadata, RFC 8982
 * subsetting_metadata. Links carry the request's own parameters with one of them changed.
 */
import type { RequestContext } from './context.js';
import type { Json } from './objects.js';
import { encodeCursor, FIELD_SETS, type PageParams } from './query.js';
import { CONFORMANCE, RDAP_MEDIA_TYPE } from './values.js';

function withParam(requestUrl: string, name: string, value: string | undefined): string {
  const url = new URL(requestUrl);
  if (value === undefined) url.searchParams.delete(name);
  else url.searchParams.set(name, value);
  return url.toString();
}

const FIELD_SET_DESCRIPTIONS: Record<string, string> = {
  id: 'only the identifying members of each object (class, handle, range) and its self link',
  brief: 'identifying and descriptive members, without nested entities',
  full: 'complete objects, as a lookup returns them',
};

export function searchMetadata(ctx: RequestContext, page: PageParams, total: number, returned: number, sorts: Record<string, { jsonPath: string }>, sortable: readonly string[], resultsMember: string): Json {
  ctx.conformance.add(CONFORMANCE.paging);
  ctx.conformance.add(CONFORMANCE.sorting);
  ctx.conformance.add(CONFORMANCE.subsetting);
  const pageNumber = Math.floor(page.offset / page.count) + 1;
  const links = [];
  if (page.offset + returned < total) {
    const href = withParam(ctx.requestUrl, 'cursor', encodeCursor(page.offset + page.count));
    links.push({ value: ctx.requestUrl, rel: 'next', href, title: 'Result Pagination Link', type: RDAP_MEDIA_TYPE });
  }
  const currentSort = page.sort.map((s) => `${s.property}${s.descending ? ':d' : ''}`).join(',');
  return {
    paging_metadata: { totalCount: total, pageSize: page.count, pageNumber, ...(links.length ? { links } : {}) },
    sorting_metadata: {
      ...(currentSort ? { currentSort } : {}),
      availableSorts: sortable.map((property, i) => ({
        property,
        jsonPath: sorts[property]!.jsonPath.replace('{results}', resultsMember),
        default: i === 0,
        links: [{
          value: ctx.requestUrl, rel: 'alternate', type: RDAP_MEDIA_TYPE, title: 'Result Ascending Sort Link',
          href: withParam(withParam(ctx.requestUrl, 'cursor', undefined), 'sort', property),
        }, {
          value: ctx.requestUrl, rel: 'alternate', type: RDAP_MEDIA_TYPE, title: 'Result Descending Sort Link',
          href: withParam(withParam(ctx.requestUrl, 'cursor', undefined), 'sort', `${property}:d`),
        }],
      })),
    },
    subsetting_metadata: {
      currentFieldSet: page.fieldSet,
      availableFieldSets: FIELD_SETS.map((name) => ({
        name,
        default: name === 'full',
        description: FIELD_SET_DESCRIPTIONS[name],
        links: [{ value: ctx.requestUrl, rel: 'alternate', type: RDAP_MEDIA_TYPE, title: 'Result Subset Link', href: withParam(ctx.requestUrl, 'fieldSet', name) }],
      })),
    },
  };
}
