package io.parity.lakehouse;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The result of an analyst query: column names, DuckDB type names and rows of plain Java values
 * (String, Long, Integer, Double, Boolean, LocalDate, OffsetDateTime in UTC, BigDecimal, List,
 * Map), with text formatters for the command line.
 *
 * @param truncated whether rows stop at the requested maximum although the query had more
 */
public record QueryResult(
    List<String> columns, List<String> types, List<List<Object>> rows, boolean truncated) {

  public QueryResult {
    columns = List.copyOf(columns);
    types = List.copyOf(types);
    // Rows may hold nulls, which List.copyOf refuses.
    List<List<Object>> copy = new ArrayList<>(rows.size());
    rows.forEach(r -> copy.add(Collections.unmodifiableList(new ArrayList<>(r))));
    rows = Collections.unmodifiableList(copy);
  }

  /** A human-readable table: header, rule, rows (numbers right-aligned), and a row count. */
  public String toAlignedTable() {
    int n = columns.size();
    int[] widths = new int[n];
    boolean[] numeric = new boolean[n];
    List<String[]> cells = new ArrayList<>(rows.size());
    for (int c = 0; c < n; c++) {
      widths[c] = columns.get(c).length();
      numeric[c] = true;
    }
    for (List<Object> row : rows) {
      String[] texts = new String[n];
      for (int c = 0; c < n; c++) {
        Object v = row.get(c);
        texts[c] = v == null ? "NULL" : text(v);
        widths[c] = Math.max(widths[c], texts[c].length());
        if (v != null && !(v instanceof Number)) {
          numeric[c] = false;
        }
      }
      cells.add(texts);
    }
    StringBuilder sb = new StringBuilder();
    appendLine(sb, columns.toArray(String[]::new), widths, new boolean[n]);
    for (int c = 0; c < n; c++) {
      sb.append(c == 0 ? "" : "-+-").append("-".repeat(widths[c]));
    }
    sb.append('\n');
    for (String[] texts : cells) {
      appendLine(sb, texts, widths, numeric);
    }
    sb.append('(')
        .append(rows.size())
        .append(rows.size() == 1 ? " row" : " rows")
        .append(truncated ? ", truncated" : "")
        .append(")\n");
    return sb.toString();
  }

  private static void appendLine(StringBuilder sb, String[] texts, int[] widths, boolean[] right) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < texts.length; c++) {
      if (c > 0) {
        line.append(" | ");
      }
      String pad = " ".repeat(widths[c] - texts[c].length());
      line.append(right[c] ? pad + texts[c] : texts[c] + pad);
    }
    sb.append(line.toString().stripTrailing()).append('\n');
  }

  /** RFC 4180 CSV with a header line; null is an empty field. */
  public String toCsv() {
    StringBuilder sb = new StringBuilder();
    appendCsvLine(sb, new ArrayList<>(columns));
    for (List<Object> row : rows) {
      appendCsvLine(sb, row);
    }
    return sb.toString();
  }

  private static void appendCsvLine(StringBuilder sb, List<?> values) {
    for (int c = 0; c < values.size(); c++) {
      if (c > 0) {
        sb.append(',');
      }
      Object v = values.get(c);
      if (v == null) {
        continue;
      }
      String s = text(v);
      if (s.indexOf(',') >= 0
          || s.indexOf('"') >= 0
          || s.indexOf('\n') >= 0
          || s.indexOf('\r') >= 0) {
        sb.append('"').append(s.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(s);
      }
    }
    sb.append("\r\n");
  }

  /** JSON lines: one object per row, keyed by column name. */
  public String toJson() {
    StringBuilder sb = new StringBuilder();
    for (List<Object> row : rows) {
      sb.append('{');
      for (int c = 0; c < columns.size(); c++) {
        if (c > 0) {
          sb.append(',');
        }
        appendJsonString(sb, columns.get(c));
        sb.append(':');
        appendJson(sb, row.get(c));
      }
      sb.append("}\n");
    }
    return sb.toString();
  }

  private static void appendJson(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Boolean
        || v instanceof Integer
        || v instanceof Long
        || v instanceof Short
        || v instanceof Byte
        || v instanceof BigInteger) {
      sb.append(v);
    } else if (v instanceof BigDecimal d) {
      sb.append(d.toPlainString());
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isFinite(d)) {
        sb.append(v);
      } else {
        // JSON has no NaN or infinity: keep them visible as strings.
        appendJsonString(sb, v.toString());
      }
    } else if (v instanceof Collection<?> list) {
      sb.append('[');
      boolean first = true;
      for (Object e : list) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        appendJson(sb, e);
      }
      sb.append(']');
    } else if (v instanceof Map<?, ?> map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        appendJsonString(sb, String.valueOf(e.getKey()));
        sb.append(':');
        appendJson(sb, e.getValue());
      }
      sb.append('}');
    } else {
      appendJsonString(sb, text(v));
    }
  }

  private static void appendJsonString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static String text(Object v) {
    if (v instanceof byte[] bytes) {
      return HexFormat.of().formatHex(bytes);
    } else if (v instanceof OffsetDateTime ts) {
      // Always with seconds (OffsetDateTime.toString drops ":00"), in UTC: 2026-11-25T10:00:00Z.
      return DateTimeFormatter.ISO_INSTANT.format(ts.toInstant());
    }
    return v.toString();
  }
}
