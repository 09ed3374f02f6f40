package dev.stasis.response.e2e;

import dev.stasis.response.config.ServeConfig;
import dev.stasis.response.engine.JsonLog;
import dev.stasis.response.server.ResponseService;
import java.nio.file.Path;

/** {@code stasis serve} in a child JVM for the crash test: prints "READY <port> <resumed>" once listening. */
public final class ServeMain {
    public static void main(String[] args) throws Exception {
        ResponseService s = ResponseService.start(ServeConfig.load(Path.of(args[0])), new JsonLog(System.err), null);
        System.out.println("READY " + s.server().address().getPort() + " " + s.resumed());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
