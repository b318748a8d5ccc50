// pgjdbc (Debian libpostgresql-jdbc-java) against a server. Modes:
//   core URL USER TABLE   PreparedStatement with every core type, addBatch/executeBatch, a
//                         transaction, DatabaseMetaData getTables/getColumns/getPrimaryKeys/
//                         getIndexInfo/getImportedKeys
//   copy URL USER TABLE   CopyManager copyIn and copyOut
// Prints "ok <step>" per step; exits 1 with "FAILED <step>: ..." on the first failure.
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.*;
import java.util.*;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

public class PgwJdbcClient {
  static void check(boolean ok, String step, Object detail) {
    if (!ok) {
      System.out.println("FAILED " + step + ": " + detail);
      System.exit(1);
    }
  }

  static List<String> column(ResultSet rs, String name) throws SQLException {
    List<String> out = new ArrayList<>();
    while (rs.next()) out.add(rs.getString(name));
    rs.close();
    return out;
  }

  static void core(Connection c, String t) throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + t + "_p (id integer PRIMARY KEY, code varchar(8) UNIQUE)");
      s.execute("CREATE TABLE " + t + " (id bigint PRIMARY KEY, i2 smallint, i4 integer, "
          + "b boolean, tx text, vc varchar(20), n numeric(12,3), r real, d double precision, "
          + "dt date, tm time, ts timestamp, tz timestamptz, by bytea, u uuid, "
          + "p_id integer REFERENCES " + t + "_p(id))");
      s.execute("CREATE INDEX " + t + "_vc_idx ON " + t + " (vc)");
      s.execute("INSERT INTO " + t + "_p VALUES (1, 'one')");
    }
    System.out.println("ok ddl");
    UUID uuid = UUID.fromString("12345678-9abc-def0-1234-56789abcdef0");
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, 1);
      ps.setShort(2, (short) -7);
      ps.setInt(3, 2147483647);
      ps.setBoolean(4, true);
      ps.setString(5, "héllo 'q'");
      ps.setString(6, "short");
      ps.setBigDecimal(7, new BigDecimal("12345.678"));
      ps.setFloat(8, 1.5f);
      ps.setDouble(9, -2.25e10);
      ps.setDate(10, java.sql.Date.valueOf("2024-02-29"));
      ps.setTime(11, java.sql.Time.valueOf("13:45:59"));
      ps.setTimestamp(12, java.sql.Timestamp.valueOf("2024-02-29 13:45:59.123456"));
      ps.setObject(13, java.time.OffsetDateTime.parse("2024-02-29T13:45:59Z"));
      ps.setBytes(14, new byte[] {0, 1, 2, (byte) 255});
      ps.setObject(15, uuid);
      ps.setInt(16, 1);
      check(ps.executeUpdate() == 1, "prepared insert", "update count");
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + t + " WHERE id = ?")) {
      ps.setLong(1, 1);
      try (ResultSet rs = ps.executeQuery()) {
        check(rs.next(), "select", "no row");
        check(rs.getShort("i2") == -7 && rs.getInt("i4") == 2147483647, "ints", rs.getInt("i4"));
        check(rs.getBoolean("b"), "bool", rs.getString("b"));
        check(rs.getString("tx").equals("héllo 'q'"), "text", rs.getString("tx"));
        check(rs.getBigDecimal("n").compareTo(new BigDecimal("12345.678")) == 0, "numeric",
            rs.getBigDecimal("n"));
        check(rs.getFloat("r") == 1.5f && rs.getDouble("d") == -2.25e10, "floats", rs.getDouble("d"));
        check(rs.getDate("dt").toString().equals("2024-02-29"), "date", rs.getDate("dt"));
        check(rs.getTime("tm").toString().equals("13:45:59"), "time", rs.getTime("tm"));
        check(rs.getTimestamp("ts").toString().equals("2024-02-29 13:45:59.123456"), "timestamp",
            rs.getTimestamp("ts"));
        check(rs.getObject("tz", java.time.OffsetDateTime.class).toInstant().toString()
            .equals("2024-02-29T13:45:59Z"), "timestamptz", rs.getString("tz"));
        check(Arrays.equals(rs.getBytes("by"), new byte[] {0, 1, 2, (byte) 255}), "bytea",
            rs.getString("by"));
        check(uuid.equals(rs.getObject("u")), "uuid", rs.getObject("u"));
        ResultSetMetaData md = rs.getMetaData();
        check(md.getColumnTypeName(7).equals("numeric") && md.getPrecision(7) == 12
            && md.getScale(7) == 3, "result metadata", md.getColumnTypeName(7));
        check(md.getTableName(1).equals(t), "result table name", md.getTableName(1));
      }
    }
    System.out.println("ok prepared statement with every core type");
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t + " (id, vc) VALUES (?, ?)")) {
      for (int i = 2; i <= 101; i++) {
        ps.setLong(1, i);
        ps.setString(2, "v" + i);
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      check(counts.length == 100, "batch", counts.length);
    }
    c.rollback();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + t)) {
      rs.next();
      check(rs.getLong(1) == 1, "rollback", rs.getLong(1));
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t + " (id, vc) VALUES (?, ?)")) {
      for (int i = 2; i <= 101; i++) {
        ps.setLong(1, i);
        ps.setString(2, "v" + i);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    c.commit();
    c.setAutoCommit(true);
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + t)) {
      rs.next();
      check(rs.getLong(1) == 101, "batch commit", rs.getLong(1));
    }
    System.out.println("ok addBatch/executeBatch and transactions");

    DatabaseMetaData md = c.getMetaData();
    List<String> tables = column(md.getTables(null, "public", t + "%", new String[] {"TABLE"}),
        "TABLE_NAME");
    check(tables.contains(t) && tables.contains(t + "_p"), "getTables", tables);
    List<String> cols = new ArrayList<>();
    List<String> types = new ArrayList<>();
    try (ResultSet rs = md.getColumns(null, "public", t, null)) {
      while (rs.next()) {
        cols.add(rs.getString("COLUMN_NAME"));
        types.add(rs.getString("TYPE_NAME"));
      }
    }
    check(cols.size() == 16 && cols.get(0).equals("id") && cols.get(15).equals("p_id"),
        "getColumns", cols);
    check(types.get(0).equals("int8") && types.get(6).equals("numeric")
        && types.get(5).equals("varchar") && types.get(14).equals("uuid"), "getColumns types", types);
    List<String> pk = column(md.getPrimaryKeys(null, "public", t), "COLUMN_NAME");
    check(pk.equals(List.of("id")), "getPrimaryKeys", pk);
    List<String> idx = column(md.getIndexInfo(null, "public", t, false, false), "INDEX_NAME");
    check(idx.contains(t + "_pkey") && idx.contains(t + "_vc_idx"), "getIndexInfo", idx);
    try (ResultSet rs = md.getImportedKeys(null, "public", t)) {
      check(rs.next(), "getImportedKeys", "no row");
      check(rs.getString("PKTABLE_NAME").equals(t + "_p") && rs.getString("PKCOLUMN_NAME").equals("id")
          && rs.getString("FKCOLUMN_NAME").equals("p_id") && rs.getInt("KEY_SEQ") == 1,
          "getImportedKeys", rs.getString("PKTABLE_NAME") + " " + rs.getString("FKCOLUMN_NAME"));
    }
    System.out.println("ok DatabaseMetaData");
  }

  static void copy(Connection c, String t) throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + t + " (id integer, name text)");
    }
    CopyManager cm = ((PGConnection) c).getCopyAPI();
    long n = cm.copyIn("COPY " + t + " FROM STDIN WITH (FORMAT csv)",
        new StringReader("1,alpha\n2,\"b,c\"\n3,\n"));
    check(n == 3, "copyIn", n);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    cm.copyOut("COPY (SELECT * FROM " + t + " ORDER BY id) TO STDOUT WITH (FORMAT csv)", out);
    check(out.toString("UTF-8").equals("1,alpha\n2,\"b,c\"\n3,\n"), "copyOut", out);
    System.out.println("ok CopyManager");
  }

  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.setProperty("user", args[2]);
    props.setProperty("ApplicationName", "pgw-pgjdbc");
    props.setProperty("sslmode", "disable");
    props.setProperty("connectTimeout", "10");
    try (Connection c = DriverManager.getConnection(args[1], props)) {
      System.out.println("ok connect");
      if (args[0].equals("copy")) {
        copy(c, args[3]);
      } else {
        core(c, args[3]);
      }
    }
  }
}
