<?php
// PHP PDO pgsql (Debian php8.2-pgsql) against a server: connect, parameterised query, prepared
// statement reused, transaction, error with SQLSTATE.
// Usage: php client.php DSN USER TABLE. Prints "ok <step>" per step; exits 1 on the first failure.
function check($ok, $step, $detail) {
  if (!$ok) {
    echo "FAILED $step: " . json_encode($detail) . "\n";
    exit(1);
  }
}

[$_, $dsn, $user, $t] = $argv;
$db = new PDO($dsn, $user, null, [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
                                  PDO::ATTR_EMULATE_PREPARES => false]);
echo "ok connect\n";
$st = $db->prepare('SELECT CAST(? AS integer) + 1 AS n, CAST(? AS text) AS s');
$st->execute([41, 'héllo']);
$row = $st->fetch(PDO::FETCH_ASSOC);
check($row['n'] === 42 && $row['s'] === 'héllo', 'parameterised query', $row);
echo "ok parameterised query\n";
$db->exec("CREATE TABLE $t (id int PRIMARY KEY, name text, flag boolean)");
$ins = $db->prepare("INSERT INTO $t (id, name, flag) VALUES (:id, :name, :flag)");
foreach ([1, 2, 3] as $i) {
  $ins->bindValue(':id', $i, PDO::PARAM_INT);
  $ins->bindValue(':name', "n$i");
  $ins->bindValue(':flag', $i % 2 == 0, PDO::PARAM_BOOL);
  $ins->execute();
}
$rows = $db->query("SELECT id, name, flag FROM $t ORDER BY id")->fetchAll(PDO::FETCH_NUM);
check($rows == [[1, 'n1', false], [2, 'n2', true], [3, 'n3', false]], 'prepared statement', $rows);
echo "ok prepared statement\n";
$db->beginTransaction();
$db->exec("DELETE FROM $t WHERE id = 3");
$db->commit();
$db->beginTransaction();
$db->exec("DELETE FROM $t");
$db->rollBack();
$n = $db->query("SELECT count(*) FROM $t")->fetchColumn();
check($n === 2, 'transaction', $n);
echo "ok transaction\n";
try {
  $db->exec("INSERT INTO $t VALUES (1, 'dup', NULL)");
  check(false, 'error', 'duplicate accepted');
} catch (PDOException $e) {
  check($e->getCode() === '23505', 'error', $e->getCode());
}
echo "ok error sqlstate\n";
