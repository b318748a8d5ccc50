// node-postgres (pg) against a server. Modes:
//   core TABLE   parameterised queries, prepared (named) statements, transactions, types,
//                errors with SQLSTATE, and the catalog queries an ORM sends first
//   copy TABLE   COPY FROM STDIN / TO STDOUT through pg-copy-streams
// Connection parameters come from PGHOST/PGPORT/PGUSER/PGDATABASE. Prints "ok <step>" per
// step; exits 1 with "FAILED <step>: ..." on the first failure.
'use strict';
const { Client } = require('pg');

function check(ok, step, detail) {
  if (!ok) {
    console.log(`FAILED ${step}: ${JSON.stringify(detail)}`);
    process.exit(1);
  }
}

async function core(c, t) {
  let r = await c.query('SELECT $1::int + 1 AS n, $2::text AS s, $3::numeric AS d', [41, 'héllo', '1.50']);
  check(r.rows[0].n === 42 && r.rows[0].s === 'héllo' && r.rows[0].d === '1.50', 'parameters', r.rows);
  console.log('ok parameterised query');
  await c.query(`CREATE TABLE ${t} (id int PRIMARY KEY, name text NOT NULL, born date, ok boolean)`);
  const insert = { name: 'pgw_insert', text: `INSERT INTO ${t} VALUES ($1, $2, $3, $4)` };
  for (let i = 1; i <= 3; i++) {
    await c.query({ ...insert, values: [i, `n${i}`, '2024-01-0' + i, i % 2 === 0] });
  }
  console.log('ok prepared statement');
  await c.query('BEGIN');
  await c.query(`UPDATE ${t} SET name = 'changed' WHERE id = 1`);
  await c.query('ROLLBACK');
  await c.query('BEGIN');
  await c.query(`DELETE FROM ${t} WHERE id = 3`);
  await c.query('COMMIT');
  r = await c.query(`SELECT id, name, ok FROM ${t} ORDER BY id`);
  check(JSON.stringify(r.rows) === JSON.stringify([{ id: 1, name: 'n1', ok: false },
    { id: 2, name: 'n2', ok: true }]), 'transaction', r.rows);
  console.log('ok transaction');
  try {
    await c.query(`INSERT INTO ${t} VALUES (1, 'dup', NULL, NULL)`);
    check(false, 'error', 'duplicate accepted');
  } catch (e) {
    check(e.code === '23505', 'error', e.code);
  }
  console.log('ok error sqlstate');
  r = await c.query(
    `SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull
       FROM pg_catalog.pg_attribute a
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`, [t]);
  check(JSON.stringify(r.rows.map((x) => [x.attname, x.type, x.attnotnull])) ===
    JSON.stringify([['id', 'integer', true], ['name', 'text', true], ['born', 'date', false],
      ['ok', 'boolean', false]]), 'catalog', r.rows);
  r = await c.query(
    `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`, [t]);
  check(r.rows.length === 4 && r.rows[2].data_type === 'date' && r.rows[0].is_nullable === 'NO',
    'information_schema', r.rows);
  try {
    await c.query("SELECT 'no_such_table_here'::regclass");
    check(false, 'regclass', 'unknown relation accepted');
  } catch (e) {
    check(e.code === '42P01', 'regclass', e.code);
  }
  console.log('ok catalog queries');
}

async function copy(c, t) {
  const { from, to } = require('pg-copy-streams');
  const { pipeline } = require('stream/promises');
  const { Readable, Writable } = require('stream');
  await c.query(`CREATE TABLE ${t} (id int, name text)`);
  await pipeline(Readable.from(['1\talpha\n2\t\\N\n', '3\tgamma\n']),
    c.query(from(`COPY ${t} FROM STDIN`)));
  let out = '';
  await pipeline(c.query(to(`COPY (SELECT * FROM ${t} ORDER BY id) TO STDOUT`)),
    new Writable({ write(chunk, enc, cb) { out += chunk.toString(); cb(); } }));
  check(out === '1\talpha\n2\t\\N\n3\tgamma\n', 'copy', out);
  console.log('ok pg-copy-streams');
}

(async () => {
  const [mode, table] = process.argv.slice(2);
  const c = new Client({ application_name: 'pgw-node-pg', connectionTimeoutMillis: 10000 });
  await c.connect();
  console.log('ok connect');
  try {
    await (mode === 'copy' ? copy(c, table) : core(c, table));
  } finally {
    await c.end();
  }
})().catch((e) => {
  console.log(`FAILED exception: ${e.stack || e}`);
  process.exit(1);
});
