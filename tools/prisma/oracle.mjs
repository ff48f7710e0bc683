#!/usr/bin/env node
// Prisma's own reading of a schema (PSL -> DMMF datamodel), in-process, no engine download.
//
// usage: node oracle.mjs MODE [PATH] [--engine=auto|6|7] [--stdin] [--bench=N]
//   MODE      datamodel  print get_datamodel JSON (DMMF.datamodel) to stdout
//             validate   exit 0 when Prisma accepts the schema
//   PATH      a .prisma file, or a folder searched recursively for *.prisma (one schema)
//   --stdin   read the files as JSON [[path, text], ...] from stdin instead of PATH
//   --engine  6: @prisma/prisma-schema-wasm 7.1.1-3 (Prisma 6.19; needs `url` in the datasource)
//             7: @prisma/prisma-schema-wasm 8.1.0-2 (Prisma 7; rejects `url` in the datasource)
//             auto (default): 6, and 7 when 6 rejects the schema (datasource style differs)
//   --bench=N time N calls after one warm-up; print {"engine","loadMs","firstMs","medianMs",
//             "minMs","maxRssMB"} instead of the datamodel
// Output on success: the datamodel JSON, and the engine used on stderr as `engine: 6|7`.
// Exit codes: 0 ok, 1 schema rejected by every engine tried (JSON errors on stderr), 2 usage.
import { readFileSync, statSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'

// The wasm module reports Rust panics through this global; it must exist before loading.
globalThis.PRISMA_WASM_PANIC_REGISTRY = {
  message: '',
  get() { return this.message },
  set_message(m) { this.message = `RuntimeError: ${m}` },
}
const require = createRequire(import.meta.url)
const PACKAGES = { 6: '@prisma/prisma-schema-wasm', 7: 'prisma-schema-wasm-7' }
const loaded = {}
const loadMs = {}
function engine(gen) {
  if (!loaded[gen]) {
    const t = performance.now()
    loaded[gen] = require(PACKAGES[gen])
    loadMs[gen] = performance.now() - t
  }
  return loaded[gen]
}

function usage(msg) {
  process.stderr.write(`oracle.mjs: ${msg}\n`)
  process.exit(2)
}

function collect(path) {
  let st
  try { st = statSync(path) } catch { usage(`no such file or folder: ${path}`) }
  if (st.isFile()) return [path]
  const out = []
  const walk = (dir) => {
    const entries = readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue
      const p = join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.isFile() && e.name.endsWith('.prisma')) out.push(p)
    }
  }
  walk(path)
  if (out.length === 0) usage(`no .prisma files under ${path}`)
  return out
}

function engineError(e) {
  const raw = e && e.message !== undefined ? e.message : String(e)
  try { return JSON.parse(raw) } catch {
    const panic = globalThis.PRISMA_WASM_PANIC_REGISTRY.get()
    return { error_code: null, message: panic || raw }
  }
}

const args = process.argv.slice(2)
const opts = Object.fromEntries(args.filter((a) => a.startsWith('--')).map((a) => {
  const [k, v] = a.slice(2).split('=')
  return [k, v ?? true]
}))
const pos = args.filter((a) => !a.startsWith('--'))
for (const k of Object.keys(opts)) if (!['engine', 'stdin', 'bench'].includes(k)) usage(`unknown option --${k}`)
const mode = pos.shift()
if (!['datamodel', 'validate'].includes(mode)) usage('MODE must be datamodel or validate')
const gens = { auto: [6, 7], 6: [6], 7: [7] }[opts.engine ?? 'auto']
if (!gens) usage('--engine must be auto, 6 or 7')

let schemas
if (opts.stdin) {
  schemas = JSON.parse(readFileSync(0, 'utf8'))
} else {
  if (pos.length !== 1) usage('expected exactly one PATH (or --stdin)')
  schemas = collect(pos[0]).map((f) => [f, readFileSync(f, 'utf8')])
}
const params = JSON.stringify({ prismaSchema: schemas, noColor: true })
const call = (gen) => (mode === 'datamodel' ? engine(gen).get_datamodel(params) : engine(gen).validate(params))

// Exit through process.exitCode, never process.exit(): stdout to a pipe is asynchronous and
// process.exit() cuts a large datamodel at 64 KiB.
function run() {
const errors = {}
for (const gen of gens) {
  let out
  const t0 = performance.now()
  try {
    out = call(gen)
  } catch (e) {
    errors[gen] = engineError(e)
    continue
  }
  const firstMs = performance.now() - t0
  process.stderr.write(`engine: ${gen}\n`)
  if (opts.bench) {
    const n = Number(opts.bench)
    const times = []
    for (let i = 0; i < n; i++) {
      const t = performance.now(); call(gen); times.push(performance.now() - t)
    }
    times.sort((a, b) => a - b)
    process.stdout.write(JSON.stringify({
      engine: gen,
      loadMs: +loadMs[gen].toFixed(1),
      firstMs: +firstMs.toFixed(1),
      medianMs: +times[Math.floor(times.length / 2)].toFixed(2),
      minMs: +times[0].toFixed(2),
      maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    }) + '\n')
  } else if (mode === 'datamodel') {
    process.stdout.write(out + '\n')
  }
  return 0
}
process.stderr.write(JSON.stringify(errors) + '\n')
return 1
}
process.exitCode = run()
