package dev.stasis.cli.response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.stasis.cli.Main;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every step of deploy/argo's WorkflowTemplate runs a stasis command that exists, with options it
 * takes: its container's args, Argo's {{...}} placeholders filled with sample values, parsed by the
 * CLI's own command line (the tree `stasis --help` prints). A renamed option or command fails here
 * rather than in a cluster. (Running them: deploy/README.md, "What was verified here".)
 */
class ArgoStepsTest {
    static final Path WORKFLOW = Path.of(System.getProperty("stasis.root", "../")).resolve("deploy/argo/workflowtemplate.yaml");

    @Test
    void everyStepParsesAsAStasisCommand() throws Exception {
        JsonNode wf = new YAMLMapper().readTree(WORKFLOW.toFile());
        int steps = 0;
        for (JsonNode t : wf.path("spec").path("templates")) {
            JsonNode args = t.path("container").path("args");
            if (args.isMissingNode()) continue;
            List<String> argv = new ArrayList<>();
            // a sample value for each placeholder: an action the act step is called with, else a plain word
            args.forEach(a -> argv.add(a.asText().replace("{{inputs.parameters.action}}", "checkpoint").replaceAll("\\{\\{[^}]+}}", "x1")));
            CommandLine cl = Main.commandLine(argv.toArray(String[]::new));
            assertThatCode(() -> cl.parseArgs(argv.toArray(String[]::new))).as(t.path("name").asText() + ": stasis " + String.join(" ", argv))
                    .doesNotThrowAnyException();
            CommandLine.ParseResult r = cl.parseArgs(argv.toArray(String[]::new));
            assertThat(r.hasSubcommand()).as(t.path("name").asText() + " names a command").isTrue();
            steps++;
        }
        assertThat(steps).isGreaterThanOrEqualTo(5);
    }

    @Test
    void aMisspeltOptionWouldBeCaught() {
        String[] argv = {"act", "checkpoint", "--config", "c.yaml", "--alertt", "a.json"};
        CommandLine cl = Main.commandLine(argv);
        assertThatCode(() -> cl.parseArgs(argv)).isInstanceOf(CommandLine.ParameterException.class);
    }
}
