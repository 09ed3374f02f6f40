package dev.stasis.cli.capture;

import dev.stasis.capture.report.Conversations;
import dev.stasis.cli.support.Json;
import dev.stasis.cli.support.OutputFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stasis capture conversations FILE [FILTER]}: one line per connection with bytes each way. */
@Command(name = "conversations", mixinStandardHelpOptions = true,
        description = "Network conversations: endpoints, process, bytes each way, first and last time.")
public final class CaptureConversationsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "capture (.scap, plain or gzip)")
    Path file;

    @Parameters(index = "1..*", paramLabel = "FILTER", description = "only events matching this filter")
    List<String> filter;

    @Option(names = "--format", defaultValue = "text", converter = CaptureInput.TextOrJson.class,
            description = "text or json")
    OutputFormat format;

    @Override
    public Integer call() throws Exception {
        Conversations conv = new Conversations();
        CaptureInput.forEach(file, filter, conv::add);
        List<Conversations.Conversation> list = conv.list();
        if (format == OutputFormat.JSON) {
            Json.print(list);
            return 0;
        }
        if (list.isEmpty()) {
            System.out.println("no network conversations");
            return 0;
        }
        System.out.printf("%-5s %-45s %-45s %-22s %10s %10s %7s  %s%n", "proto", "client", "server", "process",
                "c->s", "s->c", "events", "first .. last");
        for (Conversations.Conversation c : list) {
            System.out.printf("%-5s %-45s %-45s %-22s %10s %10s %7d  %s .. %s%n", c.proto(), c.client(), c.server(),
                    c.process() + "[" + c.pid() + "]", CaptureInput.bytes(c.bytesClientToServer()),
                    CaptureInput.bytes(c.bytesServerToClient()), c.events(), CaptureInput.time(c.firstTs()),
                    CaptureInput.time(c.lastTs()).substring(11));
        }
        return 0;
    }
}
