package io.ingestnotify.common;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The columns of a set-based statement: one array per column, one element per row, bound as {@code ?::type[]} and
 * read back with {@code unnest}. A group of any size then costs one statement, not one per row.
 */
public final class ArrayColumns {

    private final String[] types;
    private final Object[][] values;
    private int rows;

    /** @param types the PostgreSQL element type of each column (int4, int8, text, bool, timestamp, ...) */
    public ArrayColumns(int capacity, String... types) {
        this.types = types;
        this.values = new Object[types.length][capacity];
    }

    /** Adds one row; values in column order (null allowed). */
    public void add(Object... row) {
        if (row.length != types.length) {
            throw new IllegalArgumentException(row.length + " values for " + types.length + " columns");
        }
        for (int col = 0; col < row.length; col++) {
            values[col][rows] = row[col];
        }
        rows++;
    }

    public boolean isEmpty() {
        return rows == 0;
    }

    public int size() {
        return rows;
    }

    /** Binds the columns as parameters first, first + 1, ...; the index after the last. */
    public int bind(Connection c, PreparedStatement ps, int first) throws SQLException {
        for (int col = 0; col < types.length; col++) {
            Object[] column = new Object[rows];
            System.arraycopy(values[col], 0, column, 0, rows);
            ps.setArray(first + col, c.createArrayOf(types[col], column));
        }
        return first + types.length;
    }
}
