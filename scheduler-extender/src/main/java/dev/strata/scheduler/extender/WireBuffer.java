package dev.strata.scheduler.extender;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte array that one HTTP worker thread reuses for every request body it reads and
 * every answer it writes: a filter's 58 KB of names in and prioritize's 130 KB out were two or
 * three fresh arrays each (grown by doubling, then copied to size), garbage that brought the next
 * GC pause nearer. Not thread-safe; each thread has its own.
 */
final class WireBuffer extends OutputStream {

  /** A buffer grown past this by one large request is dropped afterwards rather than kept. */
  static final int KEEP_AT_MOST = 1024 * 1024;

  private static final int INITIAL = 64 * 1024;

  private byte[] data = new byte[INITIAL];
  private int size;

  byte[] array() {
    return data;
  }

  int size() {
    return size;
  }

  void reset() {
    size = 0;
  }

  /** Forgets a large array so that one huge request does not pin it for the thread's life. */
  void trim() {
    size = 0;
    if (data.length > KEEP_AT_MOST) {
      data = new byte[INITIAL];
    }
  }

  /**
   * Replaces the content with what {@code in} gives up to its end.
   *
   * @param expected the announced length, or -1 when unknown (chunked)
   * @return false when more than {@code limit} bytes came (the rest is left unread)
   */
  boolean readFrom(InputStream in, long expected, int limit) throws IOException {
    size = 0;
    if (expected > limit) {
      return false;
    }
    if (expected > data.length) {
      data = new byte[(int) expected + 1]; // +1: the end is seen without growing
    }
    while (true) {
      if (size == data.length) {
        if (size >= limit + 1) {
          return false;
        }
        grow(Math.min((long) limit + 1, 2L * data.length));
      }
      int n = in.read(data, size, data.length - size);
      if (n < 0) {
        return size <= limit;
      }
      size += n;
      if (size > limit) {
        return false;
      }
    }
  }

  /** Drops what was written after {@code size} (an earlier {@link #size()}). */
  void truncate(int size) {
    this.size = Math.min(this.size, size);
  }

  /** Appends text known to be ASCII, such as JSON punctuation and keys. */
  void ascii(String text) {
    int n = text.length();
    if (n > data.length - size) {
      grow((long) size + n);
    }
    text.getBytes(0, n, data, size); // deprecated for charsets in general, exact for ASCII
    size += n;
  }

  void number(long value) {
    ascii(Long.toString(value));
  }

  /**
   * Appends {@code text} as a JSON string when it needs no escaping and is ASCII (node names always
   * are: DNS labels), which is what a JSON encoder would write for it too.
   *
   * @return false, having written nothing, when it is null, needs escaping or is not ASCII
   */
  boolean plainString(String text) {
    if (text == null) {
      return false;
    }
    int n = text.length();
    if (n + 2 > data.length - size) {
      grow((long) size + n + 2);
    }
    int at = size;
    byte[] d = data;
    d[at++] = '"';
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
        return false;
      }
      d[at++] = (byte) c;
    }
    d[at++] = '"';
    size = at;
    return true;
  }

  @Override
  public void write(int b) {
    if (size == data.length) {
      grow(size + 1L);
    }
    data[size++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    if (len > data.length - size) {
      grow((long) size + len);
    }
    System.arraycopy(b, off, data, size, len);
    size += len;
  }

  private void grow(long atLeast) {
    if (atLeast > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("buffer of " + atLeast + " bytes is too large");
    }
    long next = Math.max(atLeast, Math.min(Integer.MAX_VALUE - 8L, 2L * data.length));
    data = Arrays.copyOf(data, (int) next);
  }
}
