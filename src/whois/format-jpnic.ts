/**
 * JPNIC-style rendering, Japanese and English, as JPNIC's own server answers (`a. [IPネットワークアドレス]`
 * …, English with the `/e` suffix). One table per object kind; each row has its Japanese and English label
 * (null: the row exists only in that language, as JPNIC's local-name rows) and reads either an RPSL
 * attribute of the policy-filtered object (so withheld data stays withheld here too) or a computed value.
 * Labels are padded to 32 display columns, counting full-width characters as two.
 */
import type { WhoisObject } from './objects.js';
import type { Delegation } from '../registry/delegation-model.js';

export type Lang = 'ja' | 'en';

interface Row {
  ja: string | null;
  en: string | null;
  /** RPSL attribute to show (all its values), or a function of the object. */
  attr?: string;
  get?: (o: WhoisObject) => string | string[] | null | undefined;
  /** Show the row only when this holds. */
  when?: (o: WhoisObject) => boolean;
}

interface Block {
  title: Record<Lang, string>;
  rows: Row[];
}

const delegationOf = (o: WhoisObject): Delegation | undefined => (o.source.kind === 'delegation' ? o.source.value : undefined);
const localName = (o: WhoisObject) => (o.source.kind === 'delegation' ? o.source.holder?.nameLocal ?? o.source.holder?.name ?? o.source.value.holderName : undefined);
const englishName = (o: WhoisObject) => (o.source.kind === 'delegation' ? o.source.holder?.name ?? o.source.value.holderName : undefined);
const abuseMail = (o: WhoisObject) => (o.source.kind === 'delegation' ? o.source.abuse?.abuseMailbox ?? o.source.abuse?.email ?? null : null);
const slashDate = (d: string | null | undefined) => (d ? d.slice(0, 10).replace(/-/g, '/') : '');
const isAllocated = (o: WhoisObject) => delegationOf(o)?.status === 'allocated' || delegationOf(o)?.status === 'sub-allocated';

/** "2023/06/19 16:44:03(JST)" as JPNIC prints its last-update times. */
export function jstTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = new Date(Date.parse(iso) + 9 * 3600_000).toISOString();
  return `${t.slice(0, 10).replace(/-/g, '/')} ${t.slice(11, 19)}(JST)`;
}

const dates: Row[] = [
  { ja: '[割振年月日]', en: '[Allocated Date]', get: (o) => slashDate(delegationOf(o)?.delegatedOn), when: isAllocated },
  { ja: '[割当年月日]', en: '[Assigned Date]', get: (o) => slashDate(delegationOf(o)?.delegatedOn), when: (o) => !isAllocated(o) },
  { ja: '[返却年月日]', en: '[Return Date]', get: () => '' },
  { ja: '[最終更新]', en: '[Last Update]', get: (o) => jstTime(delegationOf(o)?.updatedAt) },
];

const holderRows: Row[] = [
  { ja: 'f. [組織名]', en: null, get: localName },
  { ja: 'g. [Organization]', en: 'g. [Organization]', get: englishName },
  { ja: 'm. [管理者連絡窓口]', en: 'm. [Administrative Contact]', attr: 'admin-c' },
  { ja: 'n. [技術連絡担当者]', en: 'n. [Technical Contact]', attr: 'tech-c' },
  { ja: '[Abuse]', en: '[Abuse]', get: abuseMail },
];

const NETWORK: Block = {
  title: { ja: 'Network Information: [ネットワーク情報]', en: 'Network Information:' },
  rows: [
    { ja: 'a. [IPネットワークアドレス]', en: 'a. [Network Number]', get: (o) => delegationOf(o)?.resource },
    { ja: 'b. [ネットワーク名]', en: 'b. [Network Name]', attr: 'netname' },
    ...holderRows,
    ...dates,
  ],
};

const AS: Block = {
  title: { ja: 'AS Information: [AS情報]', en: 'AS Information:' },
  rows: [
    { ja: 'a. [AS番号]', en: 'a. [AS Number]', get: (o) => o.key.replace(/^AS/i, '').replace(/ - AS/i, ' - ') },
    { ja: 'b. [AS名]', en: 'b. [AS Name]', attr: 'as-name' },
    ...holderRows,
    ...dates,
  ],
};

const contactValue = (f: (c: Extract<WhoisObject['source'], { kind: 'contact' }>['value']) => string | null) =>
  (o: WhoisObject) => (o.source.kind === 'contact' ? f(o.source.value) : null);

const CONTACT: Block = {
  title: { ja: 'Contact Information: [担当者情報]', en: 'Contact Information:' },
  rows: [
    { ja: 'a. [JPNICハンドル]', en: 'a. [JPNIC Handle]', attr: 'nic-hdl' },
    { ja: 'c. [氏名]', en: null, get: contactValue((c) => c.nameLocal ?? c.name) },
    { ja: 'd. [Last, First]', en: 'c. [Last, First]', get: contactValue((c) => c.name) },
    { ja: 'e. [電子メイル]', en: 'd. [E-Mail]', attr: 'e-mail' },
    { ja: '[Abuse]', en: '[Abuse]', attr: 'abuse-mailbox' },
    { ja: 'g. [Organization]', en: 'g. [Organization]', attr: 'org' },
    { ja: 'o. [電話番号]', en: 'o. [TEL]', attr: 'phone' },
    { ja: 'p. [FAX番号]', en: 'p. [FAX]', attr: 'fax-no' },
    { ja: '[最終更新]', en: '[Last Update]', get: contactValue((c) => jstTime(c.updatedAt)) },
  ],
};

const ORGANISATION: Block = {
  title: { ja: 'Organization Information: [組織情報]', en: 'Organization Information:' },
  rows: [
    { ja: 'a. [組織ハンドル]', en: 'a. [Organization Handle]', attr: 'organisation' },
    { ja: 'b. [組織名]', en: null, get: (o) => (o.source.kind === 'organisation' ? o.source.value.nameLocal ?? o.source.value.name : null) },
    { ja: 'c. [Organization]', en: 'b. [Organization]', attr: 'org-name' },
    { ja: 'd. [住所]', en: 'c. [Address]', attr: 'address' },
    { ja: 'e. [国]', en: 'd. [Country]', attr: 'country' },
    { ja: '[最終更新]', en: '[Last Update]', get: (o) => (o.source.kind === 'organisation' ? jstTime(o.source.value.updatedAt) : null) },
  ],
};

const MAINTAINER: Block = {
  title: { ja: 'Maintainer Information: [メンテナ情報]', en: 'Maintainer Information:' },
  rows: [
    { ja: 'a. [メンテナ]', en: 'a. [Maintainer]', attr: 'mntner' },
    { ja: 'b. [説明]', en: 'b. [Description]', attr: 'descr' },
    { ja: 'g. [Organization]', en: 'g. [Organization]', attr: 'org' },
    { ja: 'm. [管理者連絡窓口]', en: 'm. [Administrative Contact]', attr: 'admin-c' },
  ],
};

const BLOCKS: Record<string, Block> = {
  inetnum: NETWORK, inet6num: NETWORK, 'aut-num': AS, 'as-block': AS,
  person: CONTACT, role: CONTACT, organisation: ORGANISATION, mntner: MAINTAINER,
};

export const LABEL_WIDTH = 32;

/** Display width: East Asian wide and full-width characters take two columns. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const wide = (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x20000 && c <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

const pad = (label: string) => label + ' '.repeat(Math.max(1, LABEL_WIDTH - displayWidth(label)));

/** One JPNIC line: the label padded to 32 display columns, then the value. */
export const jpnicLine = (label: string, value: string) => (pad(label) + value).trimEnd();

export function formatJpnicObject(object: WhoisObject, lang: Lang): string {
  const block = BLOCKS[object.className];
  if (!block) return object.attributes.map((a) => `${a.name}: ${a.value}`).join('\n') + '\n';
  const out: string[] = [lang === 'en' ? pad(block.title.en).trimEnd() : block.title.ja];
  for (const row of block.rows) {
    const label = row[lang];
    if (label === null) continue;
    if (row.when && !row.when(object)) continue;
    const raw = row.attr ? object.attributes.filter((a) => a.name === row.attr).map((a) => a.value) : row.get!(object);
    const values = (Array.isArray(raw) ? raw : [raw ?? '']).filter((v) => v !== null && v !== undefined);
    if (values.length === 0) values.push('');
    for (const v of values) out.push(jpnicLine(label, v));
  }
  return out.join('\n') + '\n';
}

/** The banner, in JPNIC's bracketed style (79 columns). */
export function jpnicBanner(lang: Lang): string {
  const other = lang === 'ja' ? ['English', 'e'] : ['Japanese', 'j'];
  const text = [
    'numreg WHOIS: IP address and AS number registration data, for network',
    'administration purposes only; "help" lists the query options. For',
    `${other[0]} output add '/${other[1]}' to the query: 'whois -h <server> 192.0.2.1/${other[1]}'.`,
  ];
  return text.map((l) => `[ ${l.padEnd(75)} ]`).join('\n') + '\n';
}
