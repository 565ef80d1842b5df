// Carbone 3 side of benchmarks/peer_bench.py: render + convert one template, on command.
// Usage: node peer_carbone.js <template.docx> <data.json> <out.pdf> <warmup> <factories>
// After the warm-up it prints {"listo": true}; then, one JSON line per command on stdin:
//   {"seq": n}              -> {"ms": [...]}  n renders one after another (last PDF to out.pdf)
//   {"conc": n, "lanes": c} -> {"s": elapsed} n renders, c at a time
// Any failure prints {"error": "..."} and exits 1. EOF on stdin ends it (and its factories).
'use strict';

const fs = require('fs');
const path = require('path');
const readline = require('readline');
const carbone = require(path.join(__dirname, '.peers', 'node_modules', 'carbone'));

const [template, dataFile, outFile, warmup, factories] = process.argv.slice(2);
const data = JSON.parse(fs.readFileSync(dataFile, 'utf8'));

carbone.set({ factories: Number(factories), startFactory: true });

function renderOnce() {
  return new Promise((resolve, reject) => {
    carbone.render(template, data, { convertTo: 'pdf' }, (err, result) => {
      if (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      } else if (!result || result.subarray(0, 5).toString() !== '%PDF-') {
        reject(new Error('Carbone no devolvió un PDF'));
      } else {
        resolve(result);
      }
    });
  });
}

function reply(value) {
  process.stdout.write(JSON.stringify(value) + '\n');
}

async function sequential(n) {
  const ms = [];
  let last = null;
  for (let i = 0; i < n; i += 1) {
    const began = process.hrtime.bigint();
    last = await renderOnce();
    ms.push(Number(process.hrtime.bigint() - began) / 1e6);
  }
  if (last) {
    fs.writeFileSync(outFile, last);
  }
  return { ms };
}

async function concurrent(n, lanes) {
  let next = 0;
  async function lane() {
    while (next < n) {
      next += 1;
      await renderOnce();
    }
  }
  const began = process.hrtime.bigint();
  await Promise.all(Array.from({ length: lanes }, lane));
  return { s: Number(process.hrtime.bigint() - began) / 1e9 };
}

async function main() {
  for (let i = 0; i < Number(warmup); i += 1) {
    await renderOnce();
  }
  reply({ listo: true });
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    const command = JSON.parse(line);
    reply(command.seq ? await sequential(command.seq) : await concurrent(command.conc, command.lanes));
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    reply({ error: `Carbone: ${err.message}` });
    process.exit(1);
  }
);
