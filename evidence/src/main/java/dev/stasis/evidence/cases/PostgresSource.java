package dev.stasis.evidence.cases;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL data source as every stasis store opens one: the case database and
 * serve's shared alert store alike. Connecting and logging in give up after 5 s, so an
 * unreachable database is one error line at start, not a hang.
 */
public final class PostgresSource {
    private PostgresSource() {}

    /** @param user and {@code password} may be null, leaving them to the URL or the driver's defaults */
    public static PGSimpleDataSource of(String url, String user, String password) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        if (user != null) ds.setUser(user);
        if (password != null) ds.setPassword(password);
        ds.setConnectTimeout(5);
        ds.setLoginTimeout(5);
        return ds;
    }
}
