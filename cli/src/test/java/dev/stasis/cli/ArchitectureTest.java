package dev.stasis.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The module boundaries, checked on the compiled production classes of every module
 * (cli's test class path holds them all; tests are left out). Module {@code m}'s classes
 * live in {@code dev.stasis.m}. The allowed module dependencies are the poms' direct
 * ones: {@link #modulesDeclaredInPoms} reads the poms so that this table cannot drift.
 */
class ArchitectureTest {
    /** Each module and the modules its pom declares, bottom up. */
    static final Map<String, Set<String>> USES = Map.of(
            "vocabulary", Set.of(),
            "checkpoint", Set.of("vocabulary"),
            "capture", Set.of("vocabulary"),
            "evidence", Set.of(),
            "memory", Set.of("checkpoint"),
            "analysis", Set.of("checkpoint", "memory"),
            "response", Set.of("vocabulary", "checkpoint", "evidence"),
            "sandbox", Set.of("checkpoint", "analysis", "capture", "evidence"),
            "workbench", Set.of("checkpoint", "memory", "analysis", "capture", "evidence", "response"),
            "cli", Set.of("vocabulary", "checkpoint", "memory", "analysis", "capture", "evidence", "response", "sandbox", "workbench"));

    /** Above every module and depended on by none (bench/pom.xml); not on this class path. */
    static final String BENCH = "bench";

    /** What the modules' tests share; a test-scope dependency only (not on this production import). */
    static final String TEST_SUPPORT = "test-support";

    static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.stasis");
        // a rule over an empty import passes whatever the code does
        for (String module : USES.keySet()) {
            assertThat(production.containPackage("dev.stasis." + module)).as(module + " imported").isTrue();
        }
    }

    @Test
    void theTableIsThePoms() throws IOException {
        Map<String, Set<String>> poms = modulesDeclaredInPoms();
        assertThat(poms.remove(BENCH)).as("bench's modules").containsExactlyInAnyOrder("capture", "response");
        // what the modules' tests share: a test-scope dependency only, so no production class can use it
        assertThat(poms.remove(TEST_SUPPORT)).as("test-support's modules").isEmpty();
        assertThat(new TreeMap<>(poms)).isEqualTo(new TreeMap<>(USES));
    }

    static Stream<String> modules() {
        return USES.keySet().stream().sorted();
    }

    /** A module reaches only the modules its pom declares: dependencies point one way. */
    @ParameterizedTest
    @MethodSource("modules")
    void dependsOnlyOnDeclaredModules(String module) {
        Set<String> forbidden = new TreeSet<>(USES.keySet());
        forbidden.add(BENCH);
        forbidden.add("testsupport"); // the tests' shared support (test-support), never production code
        forbidden.remove(module);
        forbidden.removeAll(USES.get(module));
        noClasses().that().resideInAPackage("dev.stasis." + module + "..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        forbidden.stream().map(m -> "dev.stasis." + m + "..").toArray(String[]::new))
                .because("module " + module + " declares only " + USES.get(module))
                .check(production);
    }

    @Test
    void modulesAreFreeOfCycles() {
        slices().matching("dev.stasis.(*)..").should().beFreeOfCycles().check(production);
    }

    @Test
    void noProductionClassUsesBenchmarkCode() {
        noClasses().should().dependOnClassesThat().resideInAPackage("..bench..")
                .because("benchmark drivers live in the bench module, outside the shipped jars")
                .check(production);
        assertThat(production.stream().filter(c -> c.getPackageName().contains(".bench"))).isEmpty();
    }

    /** Machinery in a module's {@code internal} packages is that module's alone. */
    @ParameterizedTest
    @MethodSource("modules")
    void internalPackagesStayInTheirModule(String module) {
        classes().that().resideInAPackage("dev.stasis." + module + "..internal..")
                .should().onlyBeAccessed().byAnyPackage("dev.stasis." + module + "..")
                .allowEmptyShould(true)
                .check(production);
    }

    /**
     * CRIU's generated protobuf classes are checkpoint's machinery: other modules read CRIU
     * images through checkpoint's records (the container model, and for memory
     * {@code criu.PstreeEntry}, {@code CoreImage}, {@code MmImage}, {@code PagemapImage},
     * {@code FileEntries}, {@code MountPoint}), so that CRIU's schema is not part of their API.
     */
    @Test
    void onlyCheckpointUsesTheGeneratedCriuClasses() {
        noClasses().that().resideOutsideOfPackage("dev.stasis.checkpoint..")
                .should().dependOnClassesThat().resideInAPackage("dev.stasis.checkpoint.criu.images..")
                .because("CRIU's schema is checkpoint's to decode; other modules use its records")
                .check(production);
    }

    /** Main wires the commands together; nothing it wires reaches back to it. */
    @Test
    void nothingDependsOnMain() {
        noClasses().that().resideOutsideOfPackage("dev.stasis.cli")
                .should().dependOnClassesThat().resideInAPackage("dev.stasis.cli")
                .check(production);
    }

    /** The stasis modules each pom names outside test scope (its parent aside), by directory. */
    static Map<String, Set<String>> modulesDeclaredInPoms() throws IOException {
        Path root = CliTesting.root();
        String parent = Files.readString(root.resolve("pom.xml"));
        Map<String, Set<String>> out = new TreeMap<>();
        Matcher modules = Pattern.compile("<module>([^<]+)</module>").matcher(parent);
        Pattern dependency = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
        Pattern stasis = Pattern.compile("<artifactId>stasis-([a-z-]+)</artifactId>");
        while (modules.find()) {
            String module = modules.group(1);
            String pom = Files.readString(root.resolve(module).resolve("pom.xml"));
            int deps = pom.indexOf("<dependencies>");
            Set<String> uses = new TreeSet<>();
            if (deps >= 0) {
                Matcher m = dependency.matcher(pom.substring(deps));
                while (m.find()) {
                    Matcher name = stasis.matcher(m.group(1));
                    // test-scoped ones (test-support) are not the module's: its production classes cannot see them
                    if (name.find() && !m.group(1).contains("<scope>test</scope>")) uses.add(name.group(1));
                }
            }
            out.put(module, uses);
        }
        return out;
    }
}
