package org.imaginebot.db;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Turns a failed database call into a short cause such as {@code connection refused}, fit for
 * {@code /health}, logs and messages to users: a raw {@link SQLException} text may quote SQL, the
 * URL or driver internals, so it is never shown.
 */
public final class DatabaseFailure {

  private DatabaseFailure() {}

  /**
   * The short cause of {@code failure}: a network cause anywhere in its chain wins (a pool's
   * timeout wraps the driver's "connection refused"), then the first SQL error it knows.
   */
  public static String describe(Throwable failure) {
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      String network = network(t);
      if (network != null) {
        return network;
      }
    }
    String fallback = null;
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        String known = known(sql);
        if (known != null) {
          return known;
        }
        if (fallback == null
            && sql.getSQLState() != null
            && !(t instanceof SQLTransientConnectionException)) {
          fallback = "database error, SQL state " + sql.getSQLState();
        }
      }
    }
    if (fallback != null) {
      return fallback;
    }
    return failure instanceof SQLTransientConnectionException
        ? "no connection in time"
        : "database error";
  }

  private static String network(Throwable t) {
    if (t instanceof ConnectException) {
      return "connection refused";
    }
    if (t instanceof SocketTimeoutException) {
      return "timed out";
    }
    if (t instanceof UnknownHostException) {
      return "unknown host";
    }
    if (t instanceof NoRouteToHostException) {
      return "no route to host";
    }
    return null;
  }

  private static String known(SQLException sql) {
    String state = sql.getSQLState() == null ? "" : sql.getSQLState();
    return switch (sql.getErrorCode()) { // H2's own codes
      case 90146, 90013 -> "database not found";
      case 90121, 90098 -> "database closed";
      case 90020 -> "database file in use by another process";
      case 28000 -> "wrong user name or password";
      default -> {
        if (state.startsWith("28")) {
          yield "authentication failed";
        } else if (state.equals("3D000")) {
          yield "database does not exist";
        } else if (state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
          yield "database shutting down";
        } else if (state.equals("08001") || state.equals("08004")) {
          yield "cannot connect";
        } else if (state.startsWith("08")) {
          yield "connection lost";
        }
        yield null;
      }
    };
  }
}
