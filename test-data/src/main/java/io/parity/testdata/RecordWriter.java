package io.parity.testdata;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;

/** Writes records of one type to a file or stream in one of the {@link OutputFormat}s. */
public interface RecordWriter<T> extends Closeable, Flushable {

  void write(T record) throws IOException;
}
