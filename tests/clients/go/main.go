// Go pgx v4 (Debian golang-github-jackc-pgx-v4-dev, built offline in GOPATH mode) against a
// server. Modes:
//   core CONNSTRING TABLE   Query, QueryRow, Exec with parameters, Batch, a transaction
//   copy CONNSTRING TABLE   CopyFrom
// Prints "ok <step>" per step; exits 1 with "FAILED <step>: ..." on the first failure.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgconn"
	"github.com/jackc/pgx/v4"
)

func fail(step string, detail interface{}) {
	fmt.Printf("FAILED %s: %v\n", step, detail)
	os.Exit(1)
}

func core(ctx context.Context, c *pgx.Conn, t string) {
	var n int32
	var s string
	if err := c.QueryRow(ctx, "SELECT $1::int4 + 1, $2::text", int32(41), "héllo").Scan(&n, &s); err != nil || n != 42 || s != "héllo" {
		fail("QueryRow", fmt.Sprint(err, n, s))
	}
	fmt.Println("ok QueryRow")
	if _, err := c.Exec(ctx, fmt.Sprintf("CREATE TABLE %s (id int8 PRIMARY KEY, name text NOT NULL, score float8, at timestamptz)", t)); err != nil {
		fail("create", err)
	}
	at := time.Date(2024, 2, 29, 13, 45, 59, 123456000, time.UTC)
	for i := int64(1); i <= 3; i++ {
		tag, err := c.Exec(ctx, fmt.Sprintf("INSERT INTO %s VALUES ($1, $2, $3, $4)", t), i, fmt.Sprintf("n%d", i), float64(i)*1.5, at)
		if err != nil || tag.RowsAffected() != 1 {
			fail("Exec", err)
		}
	}
	fmt.Println("ok Exec with parameters")
	rows, err := c.Query(ctx, fmt.Sprintf("SELECT id, name, score, at FROM %s WHERE id >= $1 ORDER BY id", t), int64(2))
	if err != nil {
		fail("Query", err)
	}
	var got []string
	for rows.Next() {
		var id int64
		var name string
		var score float64
		var ts time.Time
		if err := rows.Scan(&id, &name, &score, &ts); err != nil {
			fail("Scan", err)
		}
		if !ts.Equal(at) {
			fail("timestamptz", ts)
		}
		got = append(got, fmt.Sprintf("%d:%s:%g", id, name, score))
	}
	if rows.Err() != nil || fmt.Sprint(got) != "[2:n2:3 3:n3:4.5]" {
		fail("Query", fmt.Sprint(rows.Err(), got))
	}
	fmt.Println("ok Query")
	b := &pgx.Batch{}
	b.Queue(fmt.Sprintf("INSERT INTO %s (id, name) VALUES ($1, $2)", t), int64(10), "batched")
	b.Queue(fmt.Sprintf("UPDATE %s SET score = $1 WHERE id = $2", t), 9.5, int64(10))
	b.Queue(fmt.Sprintf("SELECT count(*) FROM %s", t))
	br := c.SendBatch(ctx, b)
	if _, err := br.Exec(); err != nil {
		fail("Batch insert", err)
	}
	if tag, err := br.Exec(); err != nil || tag.RowsAffected() != 1 {
		fail("Batch update", err)
	}
	var count int64
	if err := br.QueryRow().Scan(&count); err != nil || count != 4 {
		fail("Batch select", fmt.Sprint(err, count))
	}
	if err := br.Close(); err != nil {
		fail("Batch close", err)
	}
	fmt.Println("ok Batch")
	tx, err := c.Begin(ctx)
	if err != nil {
		fail("Begin", err)
	}
	if _, err := tx.Exec(ctx, fmt.Sprintf("DELETE FROM %s", t)); err != nil {
		fail("tx delete", err)
	}
	if err := tx.Rollback(ctx); err != nil {
		fail("Rollback", err)
	}
	if err := c.QueryRow(ctx, fmt.Sprintf("SELECT count(*) FROM %s", t)).Scan(&count); err != nil || count != 4 {
		fail("rollback", fmt.Sprint(err, count))
	}
	_, err = c.Exec(ctx, fmt.Sprintf("INSERT INTO %s (id, name) VALUES (1, 'dup')", t))
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "23505" {
		fail("error sqlstate", err)
	}
	fmt.Println("ok transaction and errors")
}

func copyFrom(ctx context.Context, c *pgx.Conn, t string) {
	if _, err := c.Exec(ctx, fmt.Sprintf("CREATE TABLE %s (id int8, name text)", t)); err != nil {
		fail("create", err)
	}
	rows := [][]interface{}{{int64(1), "a"}, {int64(2), nil}, {int64(3), "c"}}
	n, err := c.CopyFrom(ctx, pgx.Identifier{t}, []string{"id", "name"}, pgx.CopyFromRows(rows))
	if err != nil || n != 3 {
		fail("CopyFrom", fmt.Sprint(err, n))
	}
	fmt.Println("ok CopyFrom")
}

func main() {
	if len(os.Args) != 4 {
		fmt.Println("usage: pgw-go-client core|copy CONNSTRING TABLE")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, os.Args[2])
	if err != nil {
		fail("connect", err)
	}
	defer c.Close(context.Background())
	fmt.Println("ok connect")
	if os.Args[1] == "copy" {
		copyFrom(ctx, c, os.Args[3])
	} else {
		core(ctx, c, os.Args[3])
	}
}
