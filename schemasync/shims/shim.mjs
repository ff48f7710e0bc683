#!/usr/bin/env node
// schemasync-shim: written by `schemasync install-shims`; the `.ai` template's __SCRIPT__.mjs, answered
// by schemasync. The script that was here before, if any, is kept beside it as __SCRIPT__.mjs.orig.
// Same subcommands, flags, exit codes (0 ok, 1 error, message on stderr) and JSON shapes; each
// subcommand runs the installed `schemasync` command (Python: `pipx install schemasync-db`).
// No dependencies: Node's standard library only. Regenerate with `schemasync install-shims`.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const SCRIPT = '__SCRIPT__';
const CONTEXT_PATH = '__CONTEXT_PATH__';
const INSTALL_HINT =
  'schemasync is not installed: there is no `schemasync` command on PATH. Install it with ' +
  '`pipx install schemasync-db` (or `pip install schemasync-db` into the virtualenv on PATH), ' +
  'then run this command again.';
// `sync-to-context` then runs the template's context tool, as the template did (best effort).
const CONTEXT_TOOLS = [
  '.ai/skills/features/context-awareness/scripts/ctl-context.mjs',
  '.ai/skills/features/context-awareness/scripts/contextctl.mjs',
];

function fail(message) {
  process.stderr.write(`[error] ${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const args = argv.slice(2);
  const command = args.shift();
  const opts = {};
  while (args.length > 0) {
    const token = args.shift();
    if (token === '-h' || token === '--help') return { command: 'help', opts };
    if (!token.startsWith('--')) fail(`${command}: unexpected argument '${token}'`);
    const eq = token.indexOf('=');
    if (eq > 0) opts[token.slice(2, eq)] = token.slice(eq + 1);
    else if (args.length > 0 && !args[0].startsWith('--')) opts[token.slice(2)] = args.shift();
    else opts[token.slice(2)] = true;
  }
  return { command, opts };
}

// Run `schemasync ARGS` in the project folder; `capture`: keep stdout (JSON) instead of showing it.
function schemasync(repoRoot, args, capture = false) {
  const res = spawnSync('schemasync', [...args, '--root', '.'], {
    cwd: repoRoot,
    stdio: ['inherit', capture ? 'pipe' : 'inherit', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (res.error) {
    if (res.error.code === 'ENOENT') fail(INSTALL_HINT);
    fail(`cannot run schemasync: ${res.error.message}`);
  }
  return res;
}

// The template's exit codes: 0, or 1 for every failure (schemasync's own code is in its message).
function exitLike(res) {
  process.exit(res.status === 0 ? 0 : 1);
}

function jsonOf(repoRoot, args) {
  const res = schemasync(repoRoot, [...args, '--format', 'json'], true);
  if (res.status !== 0) exitLike(res);
  try {
    return JSON.parse(res.stdout);
  } catch {
    fail(`schemasync ${args[0]} --format json printed no JSON document`);
  }
}

function print(format, document, lines) {
  if (format === 'json') console.log(JSON.stringify(document, null, 2));
  else for (const line of lines) console.log(line);
}

const toPosix = (p) => String(p).split(path.sep).join('/');
const same = (repoRoot, a, b) => path.resolve(repoRoot, a) === path.resolve(repoRoot, b);

function status(repoRoot) {
  return jsonOf(repoRoot, ['status']);
}

function cmdInit(repoRoot, opts) {
  if (opts['dry-run']) {
    console.log('[dry-run] would run: schemasync init (nothing written)');
    return;
  }
  exitLike(schemasync(repoRoot, ['init']));
}

function cmdImportPrisma(repoRoot, opts) {
  const given = opts['prisma-path'];
  let schema = null;
  if (given !== undefined || opts['dry-run']) {
    schema = status(repoRoot).paths.prismaSchema;
    if (given !== undefined && (given === true || !same(repoRoot, given, schema))) {
      fail(
        `--prisma-path ${given}: schemasync imports the schema docs/project/db-ssot.json names ` +
          `(prismaSchema: ${schema}); set "prismaSchema" there to change it`,
      );
    }
  }
  if (opts['dry-run']) {
    // the mirror an import would write, on stdout; nothing is written
    process.stderr.write(`[dry-run] the import of ${schema}; nothing written\n`);
    exitLike(schemasync(repoRoot, ['snapshot', '--prisma', schema]));
  }
  exitLike(schemasync(repoRoot, ['import-prisma']));
}

function cmdVerify(repoRoot) {
  // `check`: the mirror and the context match the schema (no database, no evidence). It has
  // no warnings: every problem fails, so `--strict` changes nothing.
  exitLike(schemasync(repoRoot, ['check']));
}

function cmdStatus(repoRoot, opts) {
  if (opts.format !== 'json') exitLike(schemasync(repoRoot, ['status']));
  const s = status(repoRoot);
  const paths = {
    prismaSchema: s.paths.prismaSchema,
    dbMirror: s.paths.mirror,
    contextContract: s.paths.context,
  };
  const exists = {
    prismaSchema: s.exists.prismaSchema,
    dbMirror: s.exists.mirror,
    contextContract: s.exists.context,
  };
  const document =
    SCRIPT === 'ctl-db'
      ? { ok: s.problems.length === 0, mode: s.mode, paths, exists, counts: s.counts, problems: s.problems }
      : { mode: s.mode, source: 'config', configPath: s.config, paths, exists };
  print('json', document, []);
}

function contextTouch(repoRoot) {
  const tool = CONTEXT_TOOLS.find((rel) => fs.existsSync(path.join(repoRoot, rel)));
  if (tool === undefined) return { ran: false, reason: `${path.basename(CONTEXT_TOOLS[0])} not found` };
  const res = spawnSync(process.execPath, [tool, 'touch', '--repo-root', repoRoot], {
    cwd: repoRoot,
    stdio: ['ignore', 2, 2], // its output goes to stderr: stdout is the JSON document
  });
  return res.status === 0 ? { ran: true, ok: true } : { ran: true, ok: false, exitCode: res.status };
}

function cmdSyncToContext(repoRoot, opts) {
  const out = opts.out;
  if (out !== undefined && (out === true || !same(repoRoot, out, CONTEXT_PATH))) {
    fail(`--out ${out}: schemasync writes the context at ${CONTEXT_PATH} (a fixed path)`);
  }
  const doc = jsonOf(repoRoot, ['context']);
  const touch = contextTouch(repoRoot);
  const result = { ok: doc.ok, mode: doc.mode, out: doc.out, warnings: doc.warnings, contextTouch: touch };
  const touched = touch.ran ? (touch.ok ? 'ok' : `failed (exit ${touch.exitCode})`) : `skipped (${touch.reason})`;
  print(opts.format, result, [
    `[ok] Context DB contract ${doc.written ? 'updated' : 'unchanged'}.`,
    `  - Mode: ${doc.mode}`,
    `  - Out:  ${doc.out}`,
    `  - From: ${doc.source.path}`,
    `  - context touch: ${touched}`,
  ]);
  if (opts.format !== 'json') for (const w of doc.warnings) console.warn(`[warn] ${w}`);
}

function cmdGenerateMigration() {
  fail(
    'generate-migration is not available in database mode: the live database is the source of ' +
      'truth and schemasync writes no migrations. Propose the change in db/handbook/ (see its ' +
      'README); a DBA applies it, then pull the schema and run `schemasync sync`.',
  );
}

// The one table: each script's subcommands, the flags each takes, and what runs.
const COMMANDS = {
  'ctl-db': {
    init: { flags: ['repo-root', 'dry-run'], run: cmdInit, help: 'install the mirror skeleton' },
    'import-prisma': {
      flags: ['repo-root', 'prisma-path', 'dry-run'],
      run: cmdImportPrisma,
      help: 'import the Prisma schema into the mirror (Phase B)',
    },
    verify: { flags: ['repo-root', 'strict'], run: cmdVerify, help: 'schemasync check' },
    status: { flags: ['repo-root', 'format'], run: cmdStatus, help: 'mode, paths and counts' },
    'generate-migration': {
      flags: ['repo-root', 'name'],
      run: cmdGenerateMigration,
      help: 'not in database mode',
    },
  },
  'ctl-db-ssot': {
    status: { flags: ['repo-root', 'format'], run: cmdStatus, help: 'mode and paths' },
    'sync-to-context': {
      flags: ['repo-root', 'out', 'format'],
      run: cmdSyncToContext,
      help: 'refresh docs/context/db/schema.json (both modes)',
    },
  },
};

function usage(code) {
  const lines = [`Usage: node ${SCRIPT}.mjs <command> [options]   (runs schemasync)`, '', 'Commands:'];
  for (const [name, c] of Object.entries(COMMANDS[SCRIPT])) {
    lines.push(`  ${name} ${c.flags.map((f) => `[--${f}]`).join(' ')}`, `    ${c.help}`);
  }
  (code === 0 ? process.stdout : process.stderr).write(lines.join('\n') + '\n');
  process.exit(code);
}

function main() {
  const { command, opts } = parseArgs(process.argv);
  if (command === undefined || command === 'help' || command === '-h' || command === '--help') usage(0);
  const entry = COMMANDS[SCRIPT][command];
  if (entry === undefined) {
    process.stderr.write(`[error] unknown command '${command}'\n`);
    usage(1);
  }
  for (const key of Object.keys(opts)) {
    if (!entry.flags.includes(key)) fail(`${command}: unknown option --${key} (takes ${entry.flags.map((f) => `--${f}`).join(', ')})`);
  }
  const format = String(opts.format ?? 'text').toLowerCase();
  if (format !== 'text' && format !== 'json') fail(`--format ${opts.format}: use text or json`);
  const repoRoot = path.resolve(opts['repo-root'] === undefined ? process.cwd() : String(opts['repo-root']));
  if (!fs.existsSync(repoRoot) || !fs.statSync(repoRoot).isDirectory()) {
    fail(`--repo-root ${toPosix(repoRoot)}: no such folder`);
  }
  entry.run(repoRoot, { ...opts, format });
}

main();
