package io.parity.lakehouse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses every SQL text that is not one read-only statement, before DuckDB sees it. DuckDB is also
 * locked down (no file access beyond the snapshot's data files, configuration locked): this check
 * gives the clear message and keeps even in-memory tables and settings untouched.
 */
final class ReadOnlySql {
  static final Set<String> ALLOWED_FIRST =
      Set.of(
          "SELECT",
          "WITH",
          "VALUES",
          "FROM",
          "DESCRIBE",
          "DESC",
          "SHOW",
          "EXPLAIN",
          "SUMMARIZE",
          "PRAGMA",
          "PIVOT",
          "UNPIVOT");

  /** Only the PRAGMAs that describe tables or the engine. */
  static final Set<String> ALLOWED_PRAGMAS =
      Set.of(
          "TABLE_INFO",
          "SHOW_TABLES",
          "SHOW_TABLES_EXPANDED",
          "SHOW",
          "VERSION",
          "DATABASE_LIST",
          "PLATFORM",
          "STORAGE_INFO");

  /** First keywords of statements that write, change the schema, the session or files. */
  static final Set<String> FORBIDDEN =
      Set.of(
          "INSERT",
          "UPDATE",
          "DELETE",
          "MERGE",
          "UPSERT",
          "COPY",
          "EXPORT",
          "IMPORT",
          "ATTACH",
          "DETACH",
          "INSTALL",
          "LOAD",
          "CREATE",
          "DROP",
          "ALTER",
          "TRUNCATE",
          "SET",
          "RESET",
          "CALL",
          "CHECKPOINT",
          "VACUUM",
          "GRANT",
          "REVOKE",
          "USE",
          "BEGIN",
          "COMMIT",
          "ROLLBACK",
          "ABORT",
          "PREPARE",
          "EXECUTE",
          "DEALLOCATE");

  private static final String ALLOWED_TEXT =
      "run one SELECT, WITH, VALUES, FROM, DESCRIBE, SHOW, EXPLAIN, SUMMARIZE, PIVOT or "
          + "PRAGMA table_info statement";

  private ReadOnlySql() {}

  /**
   * Checks the SQL text.
   *
   * @throws IllegalArgumentException with a message starting {@code parity sql is read-only} if the
   *     text is not a single read-only statement
   */
  static void check(String sql) {
    List<String> tokens = tokens(sql);
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException("empty query: " + ALLOWED_TEXT);
    }
    int semicolon = tokens.indexOf(";");
    if (semicolon >= 0
        && tokens.subList(semicolon, tokens.size()).stream().anyMatch(t -> !t.equals(";"))) {
      throw new IllegalArgumentException(
          "parity sql is read-only and runs one statement at a time: " + ALLOWED_TEXT);
    }
    for (String token : tokens) {
      if (FORBIDDEN.contains(token)) {
        throw refused(token);
      }
    }
    String first = tokens.get(0);
    if (first.equals("(")) {
      return;
    }
    if (!ALLOWED_FIRST.contains(first)) {
      throw refused(first);
    }
    if (first.equals("PRAGMA")) {
      String pragma = tokens.size() > 1 ? tokens.get(1) : "";
      if (!ALLOWED_PRAGMAS.contains(pragma)) {
        throw new IllegalArgumentException(
            "parity sql is read-only: PRAGMA "
                + pragma.toLowerCase(Locale.ROOT)
                + " is refused (allowed: PRAGMA table_info, show_tables, show, version, ...)");
      }
    }
  }

  private static IllegalArgumentException refused(String keyword) {
    return new IllegalArgumentException(
        "parity sql is read-only: "
            + keyword
            + " statements are refused; "
            + ALLOWED_TEXT
            + " (a column or table named like a keyword must be \"double-quoted\")");
  }

  /**
   * Upper-cased words, {@code (} and {@code ;} outside comments, string literals and quoted
   * identifiers; everything else is dropped.
   */
  static List<String> tokens(String sql) {
    List<String> tokens = new ArrayList<>();
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c == '\'' || c == '"') {
        i = skipQuoted(sql, i, c);
      } else if (c == '$' && dollarTag(sql, i) != null) {
        String tag = dollarTag(sql, i);
        int end = sql.indexOf(tag, i + tag.length());
        i = end < 0 ? n : end + tag.length();
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < n
            && (Character.isLetterOrDigit(sql.charAt(i))
                || sql.charAt(i) == '_'
                || sql.charAt(i) == '$')) {
          i++;
        }
        String word = sql.substring(start, i).toUpperCase(Locale.ROOT);
        if (word.equals("E") && i < n && sql.charAt(i) == '\'') {
          i = skipEscaped(sql, i);
        } else {
          tokens.add(word);
        }
      } else if (c == ';' || c == '(') {
        if (c == ';' || tokens.isEmpty()) {
          tokens.add(String.valueOf(c));
        }
        i++;
      } else {
        i++;
      }
    }
    return tokens;
  }

  /** The {@code $tag$} opening a dollar-quoted string at {@code i}, or null. */
  private static String dollarTag(String sql, int i) {
    int j = i + 1;
    while (j < sql.length() && (Character.isLetter(sql.charAt(j)) || sql.charAt(j) == '_')) {
      j++;
    }
    return j < sql.length() && sql.charAt(j) == '$' ? sql.substring(i, j + 1) : null;
  }

  /** Skips an {@code E'...'} string, where a backslash escapes the next character. */
  private static int skipEscaped(String sql, int start) {
    int i = start + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == '\'' && i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
        i += 2;
      } else if (c == '\'') {
        return i + 1;
      } else {
        i++;
      }
    }
    return sql.length();
  }

  /** Skips a quoted string or identifier where a doubled quote escapes the quote. */
  private static int skipQuoted(String sql, int start, char quote) {
    int i = start + 1;
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return sql.length();
  }
}
