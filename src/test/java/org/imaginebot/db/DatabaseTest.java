package org.imaginebot.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What the database says when it cannot be used: short causes, never a password or raw SQL text.
 */
final class DatabaseTest {

  /** A port on 127.0.0.1 where nothing listens (taken from the system, then released). */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void open_unreachable_saysConnectionRefusedAndWhatToCheck_withoutThePassword()
      throws IOException {
    String url = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/test?user=bot&password=hunter2";

    assertThatThrownBy(() -> Database.open(url, 2, Duration.ofMillis(500)))
        .isInstanceOf(DatabaseException.class)
        .hasMessage(
            "cannot open the database "
                + url.replace("hunter2", "***")
                + " (connection refused); check queue.database and that the database is running")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void redact_hidesPasswordsInParametersAndUserInfo() {
    assertThat(JdbcUrls.redact("jdbc:h2:file:./x;USER=sa;PASSWORD=top;CIPHER=AES"))
        .isEqualTo("jdbc:h2:file:./x;USER=sa;PASSWORD=***;CIPHER=AES");
    assertThat(JdbcUrls.redact("jdbc:postgresql://db:5432/bot?user=bot&password=pw&ssl=true"))
        .isEqualTo("jdbc:postgresql://db:5432/bot?user=bot&password=***&ssl=true");
    assertThat(JdbcUrls.redact("jdbc:postgresql://bot:pw@db/bot"))
        .isEqualTo("jdbc:postgresql://bot:***@db/bot");
    assertThat(JdbcUrls.redact("jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x");
  }

  @Test
  void describe_findsTheNetworkCauseInsideThePoolsTimeout() {
    SQLException driver =
        new SQLException(
            "Connection to 10.0.0.5:5432 refused. Check that...",
            "08001",
            new ConnectException("Connection refused"));
    SQLTransientConnectionException pool =
        new SQLTransientConnectionException(
            "imagine-db - Connection is not available", "08003", driver);

    assertThat(DatabaseFailure.describe(pool)).isEqualTo("connection refused");
    assertThat(
            DatabaseFailure.describe(
                new SQLException("password authentication failed for user bot", "28P01")))
        .isEqualTo("authentication failed");
    assertThat(
            DatabaseFailure.describe(new SQLException("relation \"jobz\" does not exist", "42P01")))
        .isEqualTo("database error, SQL state 42P01");
  }
}
