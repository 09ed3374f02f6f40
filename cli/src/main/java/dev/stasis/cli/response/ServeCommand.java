package dev.stasis.cli.response;

import dev.stasis.response.config.ServeConfig;
import dev.stasis.response.engine.JsonLog;
import dev.stasis.response.server.ResponseService;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Receive Falco alerts and run response actions. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = {
        "Receive Falco alerts and run the policy's actions on them.",
        "Alerts come from Falco http_output, Falcosidekick webhooks or Argo Events; the actions are",
        "checkpoint, collect into the vault, label, annotate, isolate, notify; or, with 'executor: {kind: argo}' in",
        "stasis.yaml, one Argo workflow per alert, submitted to the Argo Server. Logs are JSON lines on stderr;",
        "GET /healthz, /readyz and /metrics (Prometheus) on the same port."})
public final class ServeCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "stasis.yaml", description = "the engine's configuration")
    Path config;

    @Override
    public Integer call() throws Exception {
        quietLibraries();
        ServeConfig cfg = ServeConfig.load(config);
        JsonLog log = new JsonLog(System.err);
        ResponseService service = ResponseService.start(cfg, log, null);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("serve.stopping");
            service.close();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }

    /** The engine writes its own JSON log lines; library chatter (DEBUG by default without a logback.xml) would drown them. */
    static void quietLibraries() {
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root)
            root.setLevel(ch.qos.logback.classic.Level.WARN);
    }
}
