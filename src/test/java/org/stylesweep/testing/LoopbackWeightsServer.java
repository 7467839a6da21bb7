package org.stylesweep.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server on loopback that serves one file, for the downloader's tests. It honours
 * {@code Range: bytes=N-} with 206 (unless told to ignore it), records every request's Range header
 * (redirects aside), can cut the connection midway through its first responses, and redirects
 * {@code /redirect/<name>} to the file as Hugging Face does.
 */
public final class LoopbackWeightsServer implements AutoCloseable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

  private final HttpServer server;
  private final List<String> ranges = new CopyOnWriteArrayList<>();
  private final AtomicInteger cutsLeft = new AtomicInteger();
  private final AtomicInteger redirects = new AtomicInteger();
  private volatile byte[] body;
  private volatile boolean honourRange = true;
  private volatile int status = 200;

  public LoopbackWeightsServer(byte[] body) throws IOException {
    this.body = body;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    // Like Hugging Face, which answers /resolve/ URLs with a redirect to its CDN.
    server.createContext(
        "/redirect/",
        exchange -> {
          redirects.incrementAndGet();
          String name = exchange.getRequestURI().getPath().substring("/redirect/".length());
          exchange.getResponseHeaders().set("Location", "/weights/" + name);
          exchange.sendResponseHeaders(302, -1);
          exchange.close();
        });
    server.start();
  }

  /** The URL of the served file under the given name. */
  public URI url(String fileName) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/weights/" + fileName);
  }

  /** A URL that redirects (302) to {@link #url}. */
  public URI redirectingUrl(String fileName) {
    return URI.create(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/redirect/" + fileName);
  }

  /** How many redirects were answered. */
  public int redirects() {
    return redirects.get();
  }

  /** Cuts the next {@code count} responses after half of the bytes they should carry. */
  public LoopbackWeightsServer cutNext(int count) {
    cutsLeft.set(count);
    return this;
  }

  /** Answers every request with the whole file and 200, as a server without Range support does. */
  public LoopbackWeightsServer ignoreRange() {
    honourRange = false;
    return this;
  }

  /** Answers every request with this status and no body (when not 200). */
  public LoopbackWeightsServer status(int status) {
    this.status = status;
    return this;
  }

  /** Serves other bytes from now on. */
  public LoopbackWeightsServer body(byte[] body) {
    this.body = body;
    return this;
  }

  /** How many requests arrived. */
  public int requests() {
    return ranges.size();
  }

  /** Each request's Range header, "" when it had none. */
  public List<String> ranges() {
    return List.copyOf(ranges);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String range = exchange.getRequestHeaders().getFirst("Range");
    ranges.add(range == null ? "" : range);
    byte[] file = body;
    if (status != 200) {
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
      return;
    }
    int start = 0;
    Matcher m = RANGE.matcher(range == null ? "" : range);
    if (honourRange && m.matches()) {
      start = Integer.parseInt(m.group(1));
      if (start >= file.length) {
        exchange.getResponseHeaders().set("Content-Range", "bytes */" + file.length);
        exchange.sendResponseHeaders(416, -1);
        exchange.close();
        return;
      }
      exchange
          .getResponseHeaders()
          .set("Content-Range", "bytes " + start + "-" + (file.length - 1) + "/" + file.length);
      exchange.sendResponseHeaders(206, file.length - start);
    } else {
      exchange.sendResponseHeaders(200, file.length);
    }
    int length = file.length - start;
    OutputStream out = exchange.getResponseBody();
    if (cutsLeft.getAndDecrement() > 0) {
      out.write(file, start, length / 2);
      out.flush();
      // Closing short of the promised length makes the server drop the connection.
      try {
        exchange.close();
      } catch (RuntimeException ignored) {
        // The server complains about the missing bytes; that is the point.
      }
      return;
    }
    out.write(file, start, length);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
