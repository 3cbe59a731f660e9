/** Worker thread of large imports (import.ts): parses the pieces it is sent, answers in the same order. */
import { parentPort } from 'node:worker_threads';
import { parsePiece, type PieceOptions } from './import-parse.js';

parentPort!.on('message', (m: { id: number; text: string; firstSeq: number; options: PieceOptions }) => {
  try {
    const result = parsePiece(m.text, m.firstSeq, m.options);
    parentPort!.postMessage({ id: m.id, result }, [result.keys.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: e instanceof Error ? e.stack ?? e.message : String(e) });
  }
});
