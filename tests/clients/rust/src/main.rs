// tokio-postgres against a server: connect, parameterised query, prepared statement reused with
// several parameter sets, a transaction committed and one rolled back, and a server error with
// its SQLSTATE. Prints one "ok <step>" line per step; exits non-zero on the first failure.
// Usage: pgw-rust-client "host=... port=... user=... dbname=..." TABLE
use std::process::exit;

fn fail(step: &str, msg: String) -> ! {
    eprintln!("FAILED {}: {}", step, msg);
    exit(1);
}

async fn run(conninfo: &str, table: &str) {
    let (client, connection) = match tokio_postgres::connect(conninfo, tokio_postgres::NoTls).await {
        Ok(pair) => pair,
        Err(e) => fail("connect", e.to_string()),
    };
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            eprintln!("connection error: {}", e);
        }
    });
    println!("ok connect");

    let rows = client
        .query("SELECT $1::int4 + 1 AS n, $2::text AS s", &[&41i32, &"héllo"])
        .await
        .unwrap_or_else(|e| fail("query", e.to_string()));
    let n: i32 = rows[0].get("n");
    let s: &str = rows[0].get("s");
    if n != 42 || s != "héllo" {
        fail("query", format!("got {} {}", n, s));
    }
    println!("ok parameterised query");

    client
        .batch_execute(&format!(
            "CREATE TABLE {} (id int8 PRIMARY KEY, name text NOT NULL, score float8)",
            table
        ))
        .await
        .unwrap_or_else(|e| fail("create", e.to_string()));
    let insert = client
        .prepare(&format!("INSERT INTO {} (id, name, score) VALUES ($1, $2, $3)", table))
        .await
        .unwrap_or_else(|e| fail("prepare", e.to_string()));
    for i in 1..=3i64 {
        let name = format!("row{}", i);
        let score = i as f64 * 1.5;
        client
            .execute(&insert, &[&i, &name, &score])
            .await
            .unwrap_or_else(|e| fail("prepared insert", e.to_string()));
    }
    println!("ok prepared statement");

    let mut client = client;
    let tx = client.transaction().await.unwrap_or_else(|e| fail("begin", e.to_string()));
    tx.execute(&format!("UPDATE {} SET score = score * 2 WHERE id = $1", table), &[&2i64])
        .await
        .unwrap_or_else(|e| fail("update", e.to_string()));
    tx.commit().await.unwrap_or_else(|e| fail("commit", e.to_string()));
    let tx = client.transaction().await.unwrap_or_else(|e| fail("begin", e.to_string()));
    tx.execute(&format!("DELETE FROM {}", table), &[])
        .await
        .unwrap_or_else(|e| fail("delete", e.to_string()));
    tx.rollback().await.unwrap_or_else(|e| fail("rollback", e.to_string()));
    let row = client
        .query_one(&format!("SELECT count(*), sum(score) FROM {}", table), &[])
        .await
        .unwrap_or_else(|e| fail("count", e.to_string()));
    let count: i64 = row.get(0);
    let sum: f64 = row.get(1);
    if count != 3 || (sum - 12.0).abs() > 1e-9 {
        fail("transaction", format!("count {} sum {}", count, sum));
    }
    println!("ok transaction");

    match client.execute(&insert, &[&1i64, &"dup", &0.0f64]).await {
        Ok(_) => fail("error", "duplicate key accepted".to_string()),
        Err(e) => {
            let code = e.code().map(|c| c.code().to_string()).unwrap_or_default();
            if code != "23505" {
                fail("error", format!("SQLSTATE {} ({})", code, e));
            }
        }
    }
    println!("ok error sqlstate");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: {} CONNINFO TABLE", args[0]);
        exit(2);
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run(&args[1], &args[2]));
}
