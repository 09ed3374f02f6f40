package dev.stasis.cli.capture;

import dev.stasis.cli.support.FormatOption;
import picocli.CommandLine.Mixin;
import dev.stasis.capture.report.Conversations;
import dev.stasis.cli.support.Json;
import dev.stasis.cli.support.OutputFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stasis capture conversations FILE [FILTER]}: one line per connection with bytes each way. */
@Command(name = "conversations", mixinStandardHelpOptions = true,
        description = "Network conversations: endpoints, process, bytes each way, first and last time.")
public final class CaptureConversationsCommand implements Callable<Integer> {
    @Mixin FilteredCapture input;

    @Mixin FormatOption format = FormatOption.of("text or json", OutputFormat.TEXT, OutputFormat.JSON);

    @Override
    public Integer call() throws Exception {
        boolean json = format.json(); // an unknown --format fails before any work
        Conversations conv = new Conversations();
        CaptureInput.forEach(input.path(), input.filter(), conv::add);
        List<Conversations.Conversation> list = conv.list();
        if (json) {
            java.util.Map<String, Object> doc = Json.document("capture-conversations", 1);
            doc.put("conversations", list);
            Json.print(doc);
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
