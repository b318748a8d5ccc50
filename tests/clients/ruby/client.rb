# Ruby pg (Debian ruby-pg) against a server: connect, parameterised query, prepared statement,
# transaction, error with SQLSTATE. Connection parameters from PGHOST/PGPORT/PGUSER/PGDATABASE.
# Usage: ruby client.rb TABLE. Prints "ok <step>" per step; exits 1 on the first failure.
require 'pg'

def check(ok, step, detail)
  return if ok
  puts "FAILED #{step}: #{detail.inspect}"
  exit 1
end

t = ARGV.fetch(0)
c = PG.connect(application_name: 'pgw-ruby-pg', connect_timeout: 10)
puts 'ok connect'
r = c.exec_params('SELECT $1::int + 1 AS n, $2::text AS s', [41, 'héllo'])
check(r[0]['n'] == '42' && r[0]['s'] == 'héllo', 'parameterised query', r.to_a)
puts 'ok parameterised query'
c.exec("CREATE TABLE #{t} (id int PRIMARY KEY, name text, amount numeric(8,2))")
c.prepare('ins', "INSERT INTO #{t} VALUES ($1, $2, $3)")
(1..3).each { |i| c.exec_prepared('ins', [i, "n#{i}", i * 1.25]) }
r = c.exec_params("SELECT id, name, amount FROM #{t} WHERE id > $1 ORDER BY id", [1])
check(r.values == [%w[2 n2 2.50], %w[3 n3 3.75]], 'prepared statement', r.values)
puts 'ok prepared statement'
c.transaction { |tx| tx.exec("UPDATE #{t} SET name = 'x' WHERE id = 1") }
begin
  c.transaction do |tx|
    tx.exec("DELETE FROM #{t}")
    raise 'roll back'
  end
rescue RuntimeError
end
r = c.exec("SELECT count(*), min(name) FROM #{t}")
check(r.values == [%w[3 n2]], 'transaction', r.values)
puts 'ok transaction'
begin
  c.exec("INSERT INTO #{t} VALUES (1, 'dup', 0)")
  check(false, 'error', 'duplicate accepted')
rescue PG::UniqueViolation => e
  check(e.result.error_field(PG::PG_DIAG_SQLSTATE) == '23505', 'error', e.message)
end
puts 'ok error sqlstate'
c.close
