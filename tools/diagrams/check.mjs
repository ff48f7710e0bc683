// Parse every diagram given on stdin with the real parsers; print what each said, as JSON.
//
//   node check.mjs < diagrams.json
//   in:  [{"id": "...", "kind": "mermaid" | "dbml", "text": "..."}, ...]
//   out: [{"id": "...", "ok": true} | {"id": "...", "ok": false, "error": "..."}, ...]
//
// One process for all of them: node and mermaid take seconds to start, a parse milliseconds.
// mermaid.parse needs no DOM for an erDiagram; @dbml/core's Parser reads DBML as dbdiagram does.
import mermaid from 'mermaid';
import { Parser } from '@dbml/core';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const diagrams = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const dbml = new Parser();
const parsers = {
  async mermaid(text) {
    const found = await mermaid.parse(text);
    if (found.diagramType !== 'er') throw new Error(`parsed as ${found.diagramType}, not er`);
  },
  async dbml(text) {
    dbml.parse(text, 'dbmlv2');
  },
};

function message(err) {
  if (err && Array.isArray(err.diags) && err.diags.length) {
    return err.diags
      .map((d) => `${d.location?.start?.line ?? '?'}:${d.location?.start?.column ?? '?'}: ${d.message}`)
      .join('; ');
  }
  return String(err?.message ?? err);
}

const results = [];
for (const { id, kind, text } of diagrams) {
  const parse = parsers[kind];
  if (!parse) {
    results.push({ id, ok: false, error: `unknown kind ${kind}` });
    continue;
  }
  try {
    await parse(text);
    results.push({ id, ok: true });
  } catch (err) {
    results.push({ id, ok: false, error: message(err) });
  }
}
process.stdout.write(JSON.stringify(results) + '\n');
