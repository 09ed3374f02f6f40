import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Run by the cli module's build on the jars copied to target/lib ({@code java RaiseClassVersion.java JAR...}):
 * rewrites a jar whose classes are older than Java 6 (class file version 50) as version 52, with the
 * stack map frames that version requires, computed by the JDK's class-file API.
 *
 * <p>Why: the JDK's AOT cache (JEP 483), which the launcher starts every command from, cannot keep
 * classes that only the old type-inferring verifier accepts, so such a library is loaded, parsed and
 * verified from its jar at every start. picocli is built for Java 5: its 170-odd classes cost each command
 * started in a JVM of its own about 45 ms of CPU (a capture read of the bundled example: 0.44 to 0.39 CPU s).
 * The bytecode is not otherwise changed.
 *
 * <p>Safety: the rewritten classes are loaded, linked and verified in a class loader of their own before
 * the jar is replaced; if any fails to verify, the jar is left as it was and the build says so. A jar with
 * nothing to raise is not touched (its time stays, so the launcher's AOT cache stays valid).
 */
public final class RaiseClassVersion {
    private static final int TARGET = 52; // Java 8: the oldest version with stack maps and no jsr/ret allowed

    public static void main(String[] args) throws Exception {
        for (String jar : args) raise(Path.of(jar));
    }

    private static void raise(Path jar) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) entries.put(e.getName(), in.readAllBytes());
        }
        ClassHierarchyResolver inJar = ClassHierarchyResolver.ofResourceParsing(desc -> {
            String internal = desc.descriptorString();
            byte[] b = entries.get(internal.substring(1, internal.length() - 1) + ".class");
            return b == null ? null : new ByteArrayInputStream(b);
        });
        ClassFile cf = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                ClassFile.ClassHierarchyResolverOption.of(inJar.orElse(ClassHierarchyResolver.defaultResolver())));
        Map<String, byte[]> raised = new LinkedHashMap<>();
        int count = 0;
        for (var e : entries.entrySet()) {
            byte[] bytes = e.getValue();
            if (e.getKey().endsWith(".class") && !e.getKey().startsWith("META-INF/")) {
                ClassModel model = cf.parse(bytes);
                if (model.majorVersion() < 50) {
                    // every method body is rebuilt (not copied) so that its stack maps are generated
                    bytes = cf.transformClass(model, ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                            .andThen(ClassTransform.endHandler(b -> b.withVersion(TARGET, 0))));
                    count++;
                }
            }
            raised.put(e.getKey(), bytes);
        }
        if (count == 0) return;
        Path tmp = jar.resolveSibling(jar.getFileName() + ".raising");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
            for (var e : raised.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
            }
        }
        String failure = verify(tmp, raised);
        if (failure != null) {
            Files.delete(tmp);
            System.out.println("[raise-class-version] " + jar.getFileName() + " left as it is: " + failure);
            return;
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("[raise-class-version] " + jar.getFileName() + ": " + count + " classes raised to version " + TARGET);
    }

    /** Loads and initialises every class of the rewritten jar in a loader of its own: null when all verify. */
    private static String verify(Path jar, Map<String, byte[]> entries) throws IOException {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            for (String name : entries.keySet()) {
                if (!name.endsWith(".class") || name.startsWith("META-INF/")) continue;
                String cls = name.substring(0, name.length() - 6).replace('/', '.');
                try {
                    Class.forName(cls, true, loader);
                } catch (VerifyError | ClassFormatError e) {
                    return cls + ": " + e;
                } catch (ClassNotFoundException | LinkageError e) {
                    // an optional dependency missing here (not a verification failure)
                }
            }
        }
        return null;
    }
}
