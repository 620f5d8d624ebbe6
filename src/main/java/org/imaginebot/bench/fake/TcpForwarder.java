package org.imaginebot.bench.fake;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A TCP forwarder on 127.0.0.1 in front of a real server, which a test or {@code bench faults} can
 * cut, as a network outage or a stopped database would: open connections are reset and new ones are
 * refused, since nothing listens any more. {@link #restore()} listens on the same port again.
 *
 * <p>The port is a random free one below the system's ephemeral range (Linux: from 32768): the
 * system hands ephemeral ports to outgoing connections, and one of those could take the port while
 * it is cut, so listening there again would fail.
 */
public final class TcpForwarder implements AutoCloseable {

  private final InetSocketAddress target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile ServerSocket server;
  private final int port;

  public TcpForwarder(String host, int targetPort) throws IOException {
    this.target = new InetSocketAddress(host, targetPort);
    this.server = listenOnAFreePort();
    this.port = server.getLocalPort();
  }

  public int port() {
    return port;
  }

  /** Stops listening and drops every open connection. */
  public synchronized void cut() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    sockets.clear();
  }

  /** Listens again on the same port. */
  public synchronized void restore() throws IOException {
    if (server.isClosed()) {
      server = listen(port);
    }
  }

  private ServerSocket listenOnAFreePort() throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < 100; attempt++) {
      try {
        return listen(20_000 + ThreadLocalRandom.current().nextInt(12_000));
      } catch (IOException e) {
        last = e; // taken: try another
      }
    }
    throw last;
  }

  private ServerSocket listen(int onPort) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    try {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort));
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    Thread acceptor = new Thread(() -> accept(socket), "forwarder-accept-" + onPort);
    acceptor.setDaemon(true);
    acceptor.start();
    return socket;
  }

  private void accept(ServerSocket listening) {
    while (!listening.isClosed()) {
      try {
        Socket client = listening.accept();
        Socket upstream = new Socket(target.getHostString(), target.getPort());
        client.setTcpNoDelay(true); // as the driver's own socket: no Nagle delay on small messages
        upstream.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(upstream);
        pipe(client, upstream);
        pipe(upstream, client);
      } catch (IOException e) {
        return; // closed by cut() or close()
      }
    }
  }

  private void pipe(Socket from, Socket to) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException ignored) {
                // one side closed: close both below
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "forwarder-pipe");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  @Override
  public void close() throws IOException {
    cut();
  }
}
